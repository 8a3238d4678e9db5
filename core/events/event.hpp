// One event as subscribers receive it (events.capnp's Envelope), the checks an
// event passes before it is published, and the fields filters can name.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "filters/filter.hpp"

namespace tenon::events {

// A payload's bound as JSON text: every subscriber may hold a backlog of them.
inline constexpr std::size_t kMaxPayloadBytes = 64 << 10;

struct Event {
  std::int64_t timestamp = 0;  // ns since the Unix epoch, set when published
  std::string ns;
  std::string topic;
  std::string payload;    // the JSON object as compact text: one line, whatever the publisher sent
  nlohmann::json fields;  // the same object parsed, for filters on event.<field>
};

// Shared by every subscriber that receives it: published once, never copied.
using EventPtr = std::shared_ptr<const Event>;

// Throws invalid_argument unless `topic` is like containerd's: "/" then one or
// more components of letters, digits, '.', '_' and '-' separated by '/'.
void checkTopic(std::string_view topic);

// Builds an event (timestamp left 0) from a payload object; throws
// invalid_argument for a bad namespace or topic, a payload that is not a JSON
// object, or one longer than kMaxPayloadBytes.
Event makeEvent(std::string_view ns, std::string_view topic, const nlohmann::json& payload);

// Parses JSON text ("" is {}) into a payload; throws invalid_argument unless it is one JSON object.
nlohmann::json parsePayload(std::string_view text);

// The fields a subscription filter can name: namespace, topic, and
// event.<field>[.<field>...] inside the payload (strings as they are, other
// values as JSON text).
filters::FieldLookup eventFields(const Event& event);

}  // namespace tenon::events
