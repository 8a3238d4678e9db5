#include "transfer/archive_export.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <set>
#include <tenon/error.hpp>

#include "images/image_walk.hpp"
#include "images/media_types.hpp"
#include "images/stored_blobs.hpp"
#include "metadata/images.hpp"
#include "transfer/image_names.hpp"

namespace tenon::transfer {

namespace {

constexpr std::size_t kChunk = 1 << 20;
constexpr auto kProgressEvery = std::chrono::milliseconds(100);

using Json = nlohmann::ordered_json;

Json indexEntry(const metadata::Image& image) {
  Json entry{{"mediaType", image.target.mediaType}, {"digest", image.target.digest}, {"size", image.target.size}};
  Json annotations = Json::object();
  for (const auto& [key, value] : image.target.annotations)
    if (key != kContainerdImageName && key != kOciRefName) annotations[key] = value;
  // containerd's pair: the spec's ref.name holds only the tag, so the full
  // name travels in its own annotation for a faithful round trip.
  annotations[std::string(kOciRefName)] = refNameOf(image.name);
  annotations[std::string(kContainerdImageName)] = image.name;
  entry["annotations"] = annotations;
  return entry;
}

}  // namespace

void ArchiveExport::run(const ArchiveWriter::Sink& sink) {
  if (names_.empty()) fail(TENON_INVALID_ARGUMENT, "name at least one image to export");
  std::vector<metadata::Image> images = metadata_.view([&](const metadata::ReadTx& tx) {
    std::vector<metadata::Image> found;
    std::set<std::string> seen;
    for (const std::string& name : names_)
      if (seen.insert(name).second) found.push_back(metadata::images::get(tx, ns_, name));
    return found;
  });

  // Every blob once, parents first, as the walks found them.
  images::StoredBlobs blobs(content_, ns_);
  std::vector<metadata::Descriptor> present;
  std::set<std::string> listed;
  for (const metadata::Image& image : images) {
    images::ImageGraph graph = images::walkImage(blobs, image.target, {images::Missing::skip});
    for (const std::string& missing : graph.missing) progress_.warn(image.name + ": " + missing);
    for (const images::ImageBlob& blob : graph.blobs)
      if (blob.present && listed.insert(blob.descriptor.digest).second) present.push_back(blob.descriptor);
  }

  Json index{{"schemaVersion", 2}, {"mediaType", images::media_types::kOciIndex}, {"manifests", Json::array()}};
  for (const metadata::Image& image : images) index["manifests"].push_back(indexEntry(image));
  std::string indexJson = index.dump();
  std::string layout = R"({"imageLayoutVersion":"1.0.0"})";

  ArchiveWriter writer(sink);
  writer.beginFile("oci-layout", static_cast<std::int64_t>(layout.size()));
  writer.write(layout.data(), layout.size());
  writer.addDirectory("blobs");
  writer.addDirectory("blobs/sha256");
  for (const metadata::Descriptor& blob : present) writeBlob(writer, blob);
  writer.beginFile("index.json", static_cast<std::int64_t>(indexJson.size()));
  writer.write(indexJson.data(), indexJson.size());
  writer.finish();
  for (const metadata::Image& image : images)
    progress_.send({"image", image.name, image.target.digest, image.target.size, image.target.size, true, ""});
}

void ArchiveExport::writeBlob(ArchiveWriter& writer, const metadata::Descriptor& blob) {
  std::string path = "blobs/sha256/" + blob.digest.substr(7);
  writer.beginFile(path, blob.size);
  std::vector<std::uint8_t> buffer(kChunk);
  std::int64_t offset = 0;
  auto reported = std::chrono::steady_clock::now();
  progress_.send({"blob", path, blob.digest, 0, blob.size, false, ""});
  while (offset < blob.size) {
    std::size_t want = static_cast<std::size_t>(std::min<std::int64_t>(blob.size - offset, kChunk));
    std::size_t n = content_.readAt(ns_, blob.digest, offset, std::span<std::uint8_t>(buffer.data(), want));
    if (n == 0)
      fail(TENON_INTERNAL, "blob " + blob.digest + " ended after " + std::to_string(offset) + " of its " +
                               std::to_string(blob.size) + " bytes");
    writer.write(buffer.data(), n);
    offset += static_cast<std::int64_t>(n);
    if (auto now = std::chrono::steady_clock::now(); now - reported >= kProgressEvery) {
      reported = now;
      progress_.send({"blob", path, blob.digest, offset, blob.size, false, ""});
    }
  }
  progress_.send({"blob", path, blob.digest, blob.size, blob.size, true, ""});
}

}  // namespace tenon::transfer
