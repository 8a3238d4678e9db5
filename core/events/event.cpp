#include "events/event.hpp"

#include <tenon/error.hpp>

#include "metadata/validation.hpp"

namespace tenon::events {

namespace {

bool isTopicChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

// Scalars as filters compare them: strings bare, the rest as JSON ("42", "true").
std::optional<std::string> asFieldValue(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Walks event.<a>.<b>... into the payload. An unquoted key holding dots
// ("event.labels.io.x") arrives split: the rest of the path is tried joined too.
std::optional<std::string> payloadField(const nlohmann::json& object, const std::vector<std::string>& path,
                                        std::size_t from) {
  if (from == path.size()) return asFieldValue(object);
  if (!object.is_object()) return std::nullopt;
  if (auto it = object.find(path[from]); it != object.end()) {
    if (auto found = payloadField(*it, path, from + 1)) return found;
  }
  std::string joined = path[from];
  for (std::size_t i = from + 1; i < path.size(); ++i) joined += "." + path[i];
  if (from + 1 < path.size()) {
    if (auto it = object.find(joined); it != object.end()) return asFieldValue(*it);
  }
  return std::nullopt;
}

void checkPayloadSize(std::size_t bytes) {
  if (bytes > kMaxPayloadBytes)
    fail(TENON_INVALID_ARGUMENT, "event payload of " + std::to_string(bytes) + " bytes is over the limit of " +
                                     std::to_string(kMaxPayloadBytes));
}

}  // namespace

void checkTopic(std::string_view topic) {
  auto refuse = [&](const char* why) {
    fail(TENON_INVALID_ARGUMENT, "invalid event topic " + metadata::quote(topic) + ": " + why);
  };
  if (topic.empty() || topic.front() != '/') refuse("it must start with '/'");
  if (topic.size() > 256) refuse("it is longer than 256 bytes");
  bool emptyComponent = topic.back() == '/' || topic.find("//") != std::string_view::npos;
  if (emptyComponent) refuse("components between '/' must not be empty");
  for (char c : topic.substr(1))
    if (c != '/' && !isTopicChar(c)) refuse("use letters, digits, '.', '_' and '-' between '/'");
}

nlohmann::json parsePayload(std::string_view text) {
  if (text.empty()) return nlohmann::json::object();
  checkPayloadSize(text.size());
  nlohmann::json parsed = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (parsed.is_discarded()) fail(TENON_INVALID_ARGUMENT, "event payload is not valid JSON");
  if (!parsed.is_object()) fail(TENON_INVALID_ARGUMENT, "event payload must be a JSON object");
  return parsed;
}

Event makeEvent(std::string_view ns, std::string_view topic, const nlohmann::json& payload) {
  metadata::validateNamespace(ns);
  checkTopic(topic);
  // `{}` in C++ makes a JSON null: taken as the empty object it was meant to be.
  if (payload.is_null()) return makeEvent(ns, topic, nlohmann::json::object());
  if (!payload.is_object()) fail(TENON_INVALID_ARGUMENT, "event payload must be a JSON object");
  // Compact text keeps every event on one line for `ctr events`; bad UTF-8 is
  // replaced rather than refused, as the payload came from a committed change.
  std::string text = payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  checkPayloadSize(text.size());
  return Event{0, std::string(ns), std::string(topic), std::move(text), payload};
}

filters::FieldLookup eventFields(const Event& event) {
  return [&event](const std::vector<std::string>& path) -> std::optional<std::string> {
    if (path.size() == 1 && path[0] == "namespace") return event.ns;
    if (path.size() == 1 && path[0] == "topic") return event.topic;
    if (path.size() >= 2 && path[0] == "event") return payloadField(event.fields, path, 1);
    return std::nullopt;
  };
}

}  // namespace tenon::events
