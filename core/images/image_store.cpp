#include "images/image_store.hpp"

#include <algorithm>
#include <tenon/error.hpp>

#include "images/image_walk.hpp"
#include "images/stored_blobs.hpp"
#include "metadata/content_records.hpp"

namespace tenon::images {

namespace mi = metadata::images;

namespace {

metadata::ImageUpdate toUpdate(const metadata::Image& current, const metadata::Image& wanted,
                               const std::vector<std::string>& fields) {
  if (fields.empty()) return {wanted.target, wanted.labels};
  metadata::ImageUpdate change;
  for (const std::string& field : fields) {
    if (field == "target") {
      change.target = wanted.target;
    } else if (!metadata::applyLabelField(field, current.labels, wanted.labels, change.labels)) {
      fail(TENON_INVALID_ARGUMENT, "cannot update field \"" + field + "\": want target, labels or labels.<key>");
    }
  }
  return change;
}

}  // namespace

metadata::Image ImageStore::get(const std::string& ns, const std::string& name) const {
  return metadata_.view([&](const metadata::ReadTx& tx) { return mi::get(tx, ns, name); });
}

std::vector<metadata::Image> ImageStore::list(const std::string& ns, const filters::Filter& filter) const {
  auto all = metadata_.view([&](const metadata::ReadTx& tx) { return mi::list(tx, ns); });
  std::erase_if(all, [&](const metadata::Image& image) { return !filter.matches(imageFields(image)); });
  return all;
}

GcLabels ImageStore::gcLabelsFor(const std::string& ns, const metadata::Descriptor& target) const {
  if (content_ == nullptr) return {};
  StoredBlobs blobs(*content_, ns);
  return walkImage(blobs, target, {Missing::skip}).gcLabels;
}

metadata::Image ImageStore::create(const std::string& ns, metadata::Image image) {
  GcLabels labels = gcLabelsFor(ns, image.target);
  return metadata_.update([&](metadata::WriteTx& tx) {
    metadata::Image created = mi::create(tx, ns, std::move(image));
    applyGcLabels(tx, ns, labels);
    return created;
  });
}

metadata::Image ImageStore::update(const std::string& ns, const metadata::Image& wanted,
                                   const std::vector<std::string>& fields) {
  bool retarget = fields.empty() || std::find(fields.begin(), fields.end(), "target") != fields.end();
  GcLabels labels = retarget ? gcLabelsFor(ns, wanted.target) : GcLabels{};
  // Read, changed and written in one transaction, so that concurrent label
  // changes of other keys are not lost.
  return metadata_.update([&](metadata::WriteTx& tx) {
    metadata::Image current = mi::get(tx, ns, wanted.name);
    metadata::Image updated = mi::update(tx, ns, wanted.name, toUpdate(current, wanted, fields));
    applyGcLabels(tx, ns, labels);
    return updated;
  });
}

metadata::Image ImageStore::remove(const std::string& ns, const std::string& name) {
  return metadata_.update([&](metadata::WriteTx& tx) { return mi::remove(tx, ns, name); });
}

void applyGcLabels(metadata::WriteTx& tx, std::string_view ns, const GcLabels& labels) {
  for (const auto& [digest, refs] : labels) {
    auto record = metadata::content_records::find(tx, ns, digest);
    if (!record) continue;
    metadata::Labels merged = record->labels;
    for (const auto& [key, value] : refs) merged[key] = value;
    if (merged != record->labels) metadata::content_records::setLabels(tx, ns, digest, merged);
  }
}

metadata::Image putImage(metadata::WriteTx& tx, std::string_view ns, const metadata::Image& image) {
  if (mi::find(tx, ns, image.name)) return mi::update(tx, ns, image.name, {image.target, std::nullopt});
  return mi::create(tx, ns, image);
}

filters::FieldLookup imageFields(const metadata::Image& image) {
  return [&image](const std::vector<std::string>& path) -> std::optional<std::string> {
    if (path.size() == 1 && path[0] == "name") return image.name;
    if (path.size() == 2 && path[0] == "target") {
      if (path[1] == "digest") return image.target.digest;
      if (path[1] == "mediatype") return image.target.mediaType;
      return std::nullopt;
    }
    if (path.size() >= 2 && path[0] == "labels") {
      // An unquoted label key with dots arrives split: join it back.
      std::string key = path[1];
      for (std::size_t i = 2; i < path.size(); ++i) key += "." + path[i];
      auto it = image.labels.find(key);
      return it == image.labels.end() ? std::nullopt : std::optional<std::string>(it->second);
    }
    return std::nullopt;
  };
}

}  // namespace tenon::images
