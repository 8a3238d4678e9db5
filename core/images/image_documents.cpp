#include "images/image_documents.hpp"

#include <nlohmann/json.hpp>
#include <tenon/error.hpp>

#include "images/media_types.hpp"
#include "metadata/validation.hpp"

namespace tenon::images {

namespace {

using Json = nlohmann::json;

[[noreturn]] void invalid(const std::string& what, const std::string& why) {
  fail(TENON_INVALID_ARGUMENT, "invalid " + what + ": " + why);
}

Json parseJson(std::string_view bytes, const std::string& what) {
  checkJsonSize(bytes.size(), what);
  Json j = Json::parse(bytes, nullptr, false);
  if (j.is_discarded()) invalid(what, "not valid JSON");
  if (!j.is_object()) invalid(what, "not a JSON object");
  return j;
}

std::string text(const Json& object, const char* key, const std::string& what, bool required = true) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    if (required) invalid(what, std::string("\"") + key + "\" is missing");
    return "";
  }
  if (!it->is_string()) invalid(what, std::string("\"") + key + "\" is not a string");
  return it->get<std::string>();
}

metadata::Descriptor descriptor(const Json& j, const std::string& what) {
  if (!j.is_object()) invalid(what, "a descriptor is not a JSON object");
  metadata::Descriptor d;
  d.mediaType = text(j, "mediaType", what);
  d.digest = text(j, "digest", what);
  try {
    metadata::validateDigest(d.digest);
  } catch (const Error& e) {
    invalid(what, e.what());
  }
  auto size = j.find("size");
  if (size == j.end() || !size->is_number_integer() || size->get<std::int64_t>() < 0)
    invalid(what, "descriptor " + d.digest + " has no valid size");
  d.size = size->get<std::int64_t>();
  if (auto annotations = j.find("annotations"); annotations != j.end() && !annotations->is_null()) {
    if (!annotations->is_object()) invalid(what, "annotations of " + d.digest + " are not an object");
    for (const auto& [key, value] : annotations->items()) {
      if (!value.is_string()) invalid(what, "annotation \"" + key + "\" of " + d.digest + " is not a string");
      d.annotations[key] = value.get<std::string>();
    }
  }
  return d;
}

// A document's own mediaType, when it states one, must agree with the
// descriptor that led to it: otherwise the same bytes could be read as two things.
void checkOwnMediaType(const Json& j, std::string_view expected, const std::string& what) {
  std::string own = text(j, "mediaType", what, false);
  if (!own.empty() && own != expected)
    invalid(what, "it says it is \"" + own + "\" but was referenced as \"" + std::string(expected) + "\"");
  if (auto version = j.find("schemaVersion"); version != j.end() && *version != 2)
    invalid(what, "schemaVersion is not 2");
}

}  // namespace

void checkJsonSize(std::size_t bytes, const std::string& what) {
  if (bytes > kMaxJsonBytes)
    fail(TENON_INVALID_ARGUMENT, what + " is " + std::to_string(bytes) + " bytes, over the " +
                                     std::to_string(kMaxJsonBytes >> 20) + " MiB limit for JSON documents");
}

IndexDocument parseIndex(std::string_view bytes, std::string_view mediaType, const std::string& what) {
  Json j = parseJson(bytes, what);
  checkOwnMediaType(j, mediaType, what);
  auto manifests = j.find("manifests");
  if (manifests == j.end() || !manifests->is_array()) invalid(what, "\"manifests\" is not a list");
  IndexDocument index;
  for (const Json& entry : *manifests) {
    ManifestEntry m{descriptor(entry, what), std::nullopt};
    if (!media_types::isIndex(m.descriptor.mediaType) && !media_types::isManifest(m.descriptor.mediaType))
      fail(TENON_INVALID_ARGUMENT, "unsupported media type \"" + m.descriptor.mediaType + "\" of " +
                                       m.descriptor.digest + " in " + what);
    if (auto platform = entry.find("platform"); platform != entry.end() && platform->is_object())
      m.platform = Platform{text(*platform, "os", what, false), text(*platform, "architecture", what, false),
                            text(*platform, "variant", what, false)};
    index.manifests.push_back(std::move(m));
  }
  return index;
}

ManifestDocument parseManifest(std::string_view bytes, std::string_view mediaType, const std::string& what) {
  Json j = parseJson(bytes, what);
  checkOwnMediaType(j, mediaType, what);
  auto config = j.find("config");
  if (config == j.end()) invalid(what, "\"config\" is missing");
  ManifestDocument manifest{descriptor(*config, what), {}, {}};
  auto layers = j.find("layers");
  if (layers == j.end() || !layers->is_array()) invalid(what, "\"layers\" is not a list");
  for (const Json& layer : *layers) {
    manifest.layers.push_back(descriptor(layer, what));
    if (auto urls = layer.find("urls"); urls != layer.end() && !urls->is_null()) {
      const std::string& digest = manifest.layers.back().digest;
      if (!urls->is_array()) invalid(what, "urls of " + digest + " are not a list");
      for (const Json& url : *urls) {
        if (!url.is_string()) invalid(what, "a url of " + digest + " is not a string");
        std::string text = url.get<std::string>();
        if (text.starts_with("https://") || text.starts_with("http://"))
          manifest.layerUrls[digest].push_back(std::move(text));
      }
    }
  }
  return manifest;
}

}  // namespace tenon::images
