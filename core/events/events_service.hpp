// The Events RPC service: publish into the exchange, and subscribe to it with
// a stream of envelopes to the client's EventSink.
#pragma once

#include "events.capnp.h"
#include "events/event_exchange.hpp"

namespace tenon::events {

class EventsService final : public rpc::Events::Server {
 public:
  explicit EventsService(EventExchange& exchange) : exchange_(exchange) {}

 protected:
  kj::Promise<void> publish(PublishContext context) override;
  kj::Promise<void> subscribe(SubscribeContext context) override;

 private:
  EventExchange& exchange_;
};

}  // namespace tenon::events
