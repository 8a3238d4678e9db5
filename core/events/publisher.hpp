// How a part of the daemon announces what happened: one small interface,
// handed to the services that publish (there is no global bus to reach for).
// The EventExchange implements it; subscribers see what is published through it.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace tenon::events {

class Publisher {
 public:
  virtual ~Publisher() = default;

  // Publishes `payload` (a JSON object with containerd's fields for the topic)
  // as `topic` ("/images/create") in namespace `ns`. Any thread may call it; it
  // never waits for subscribers. Call it once the change is committed, so that
  // nobody hears of a change that did not happen. Throws invalid_argument for
  // a bad namespace or topic (see event.hpp) or a payload that is not an
  // object (null, which is what `{}` makes, counts as the empty object).
  virtual void publish(const std::string& ns, const std::string& topic, const nlohmann::json& payload) = 0;
};

}  // namespace tenon::events
