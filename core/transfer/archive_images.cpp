#include "transfer/archive_images.hpp"

#include <nlohmann/json.hpp>
#include <set>
#include <tenon/error.hpp>

#include "images/image_documents.hpp"
#include "images/media_types.hpp"
#include "metadata/validation.hpp"
#include "transfer/image_names.hpp"

namespace tenon::transfer {

namespace mt = images::media_types;

namespace {

[[noreturn]] void invalid(const std::string& message) { fail(TENON_INVALID_ARGUMENT, message); }

// --name replaces the archive's names, which only makes sense for one image.
void checkOneImage(const std::set<std::string>& targets) {
  if (targets.size() > 1)
    invalid("the archive holds " + std::to_string(targets.size()) +
            " images, so --name (which names one) cannot be used");
}

std::string nameFromAnnotations(const metadata::Labels& annotations) {
  if (auto it = annotations.find(std::string(kContainerdImageName)); it != annotations.end() && !it->second.empty())
    return it->second;
  if (auto it = annotations.find(std::string(kOciRefName)); it != annotations.end() && isFullReference(it->second))
    return it->second;
  return "";
}

// The entry's descriptor without the annotations that named it in this
// archive: the record's name says that, and may change (tag, --name).
metadata::Descriptor targetOf(const images::ManifestEntry& entry) {
  metadata::Descriptor target = entry.descriptor;
  target.annotations.erase(std::string(kContainerdImageName));
  target.annotations.erase(std::string(kOciRefName));
  return target;
}

}  // namespace

std::vector<metadata::Image> imagesFromIndex(const std::string& indexJson, const ImportOptions& options) {
  images::IndexDocument index = images::parseIndex(indexJson, mt::kOciIndex, "index.json");
  if (index.manifests.empty()) invalid("index.json lists no images");
  std::set<std::string> targets;
  for (const auto& entry : index.manifests) targets.insert(entry.descriptor.digest);
  if (!options.name.empty()) {
    checkOneImage(targets);
    return {{options.name, targetOf(index.manifests.front()), {}, 0, 0}};
  }
  std::vector<metadata::Image> images;
  std::set<std::string> names;
  for (const auto& entry : index.manifests) {
    std::string name = nameFromAnnotations(entry.descriptor.annotations);
    if (name.empty()) {
      auto tag = entry.descriptor.annotations.find(std::string(kOciRefName));
      std::string has = tag == entry.descriptor.annotations.end()
                            ? "no name"
                            : "only the tag " + metadata::quote(tag->second) + " as its name";
      invalid("image " + entry.descriptor.digest + " in index.json has " + has + ": give it one with --name");
    }
    if (names.insert(name).second) images.push_back({name, targetOf(entry), {}, 0, 0});
  }
  return images;
}

namespace {

using Json = nlohmann::json;

const StoredFile& fileNamed(const ArchiveContents& contents, const Json& path, const std::string& field) {
  if (!path.is_string()) invalid("manifest.json: " + field + " is not a path");
  const StoredFile* file = contents.file(normalizeEntryPath(path.get<std::string>()));
  if (file == nullptr)
    invalid("manifest.json names " + field + " " + metadata::quote(path.get<std::string>()) +
            ", which is not a file in the archive");
  return *file;
}

// The schema 2 manifest `docker save` would have pushed: the config and the
// layer files as they are in the archive, gzip or plain.
std::string makeManifest(const Json& entry, const ArchiveContents& contents) {
  const StoredFile& config = fileNamed(contents, entry.value("Config", Json()), "Config");
  nlohmann::ordered_json manifest{
      {"schemaVersion", 2},
      {"mediaType", mt::kDockerManifest},
      {"config", {{"mediaType", mt::kDockerConfig}, {"size", config.size}, {"digest", config.digest}}},
      {"layers", nlohmann::ordered_json::array()}};
  auto layers = entry.find("Layers");
  if (layers == entry.end() || !layers->is_array()) invalid("manifest.json: Layers is not a list");
  for (const Json& path : *layers) {
    const StoredFile& layer = fileNamed(contents, path, "layer");
    manifest["layers"].push_back({{"mediaType", layer.gzip ? mt::kDockerLayerGzip : mt::kDockerLayer},
                                  {"size", layer.size},
                                  {"digest", layer.digest}});
  }
  return manifest.dump(3);
}

std::vector<std::string> repoTags(const Json& entry) {
  std::vector<std::string> tags;
  auto it = entry.find("RepoTags");
  if (it == entry.end() || it->is_null()) return tags;
  if (!it->is_array()) invalid("manifest.json: RepoTags is not a list");
  for (const Json& tag : *it) {
    if (!tag.is_string()) invalid("manifest.json: a RepoTag is not a string");
    tags.push_back(normalizeDockerReference(tag.get<std::string>()));
  }
  return tags;
}

}  // namespace

std::vector<metadata::Image> imagesFromDockerManifest(const std::string& manifestJson, const ArchiveContents& contents,
                                                      BlobIngester& ingester, const ImportOptions& options) {
  Json entries = Json::parse(manifestJson, nullptr, false);
  if (entries.is_discarded() || !entries.is_array()) invalid("manifest.json is not a JSON list");
  if (entries.empty()) invalid("manifest.json lists no images");
  std::vector<metadata::Image> images;
  std::set<std::string> targets;
  for (const Json& entry : entries) {
    if (!entry.is_object()) invalid("manifest.json: an entry is not an object");
    std::string manifest = makeManifest(entry, contents);
    std::vector<std::string> names = repoTags(entry);
    std::string what = names.empty() ? "manifest.json entry " + std::to_string(images.size()) : names.front();
    std::string digest = ingester.storeBytes(manifest, what);
    metadata::Descriptor target{std::string(mt::kDockerManifest), digest, static_cast<std::int64_t>(manifest.size()), {}};
    targets.insert(digest);
    if (names.empty() && options.name.empty())
      invalid("image " + digest + " in manifest.json has no RepoTags: give it a name with --name");
    for (const std::string& name : names) images.push_back({name, target, {}, 0, 0});
    if (!options.name.empty()) images.push_back({options.name, target, {}, 0, 0});
  }
  if (!options.name.empty()) {
    checkOneImage(targets);
    return {images.back()};
  }
  return images;
}

}  // namespace tenon::transfer
