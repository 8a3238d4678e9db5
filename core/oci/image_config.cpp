#include "oci/image_config.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <tenon/error.hpp>

#include "oci/environment.hpp"

namespace tenon::oci {

namespace {

using Json = nlohmann::json;

[[noreturn]] void badField(std::string_view field, std::string_view why) {
  fail(TENON_INVALID_ARGUMENT, fmt::format("invalid image config: config.{} {}", field, why));
}

// The member `field` of `config`, or nullptr when it is absent or null
// (image builders write `"Cmd": null` for "no default command").
const Json* member(const Json& config, const char* field) {
  auto it = config.find(field);
  return it == config.end() || it->is_null() ? nullptr : &*it;
}

std::string stringField(const Json& config, const char* field) {
  const Json* value = member(config, field);
  if (!value) return {};
  if (!value->is_string()) badField(field, "is not a string");
  return value->get<std::string>();
}

std::vector<std::string> stringList(const Json& config, const char* field) {
  std::vector<std::string> list;
  const Json* value = member(config, field);
  if (!value) return list;
  if (!value->is_array()) badField(field, "is not an array of strings");
  for (const Json& item : *value) {
    if (!item.is_string()) badField(field, "is not an array of strings");
    list.push_back(item.get<std::string>());
  }
  return list;
}

std::map<std::string, std::string> stringMap(const Json& config, const char* field) {
  std::map<std::string, std::string> map;
  const Json* value = member(config, field);
  if (!value) return map;
  if (!value->is_object()) badField(field, "is not an object of strings");
  for (const auto& [key, item] : value->items()) {
    if (!item.is_string()) badField(fmt::format("{}[{:?}]", field, key), "is not a string");
    map.emplace(key, item.get<std::string>());
  }
  return map;
}

Json parseDocument(std::string_view json) {
  try {
    Json doc = Json::parse(json);
    if (!doc.is_object()) fail(TENON_INVALID_ARGUMENT, "invalid image config: not a JSON object");
    return doc;
  } catch (const Json::parse_error& e) {
    fail(TENON_INVALID_ARGUMENT, fmt::format("invalid image config: {}", e.what()));
  }
}

}  // namespace

ImageConfig parseImageConfig(std::string_view json) {
  Json doc = parseDocument(json);
  const Json* config = member(doc, "config");
  if (!config) return {};  // a config without a process part (e.g. a scratch image) is valid
  if (!config->is_object()) fail(TENON_INVALID_ARGUMENT, "invalid image config: config is not an object");

  ImageConfig image{stringList(*config, "Entrypoint"), stringList(*config, "Cmd"), stringList(*config, "Env"),
                    stringField(*config, "WorkingDir"), stringField(*config, "User"),
                    stringField(*config, "StopSignal"), stringMap(*config, "Labels")};
  for (const std::string& entry : image.env) validateEnvEntry("image config Env entry", entry);
  return image;
}

}  // namespace tenon::oci
