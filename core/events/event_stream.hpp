// One RPC subscriber: moves events from its Subscription to the client's
// EventSink on the KJ loop's thread. Publishers run on other threads, so the
// hand-off is a cross-thread fulfiller the subscription wakes; each send is a
// `-> stream` call whose promise holds us back while the client's window is
// full, and meanwhile events wait in the subscription's bounded queue.
#pragma once

#include <kj/async.h>

#include <deque>
#include <memory>

#include "events.capnp.h"
#include "events/event_exchange.hpp"

namespace tenon::events {

class EventStream {
 public:
  EventStream(std::unique_ptr<Subscription> subscription, rpc::EventSink::Client sink)
      : subscription_(std::move(subscription)), sink_(kj::mv(sink)) {}

  // Sends events until the subscriber is dropped (rejects with
  // resource_exhausted naming how many it missed) or the sink fails. Drop the
  // promise, then this stream, to unsubscribe.
  kj::Promise<void> run();

 private:
  kj::Promise<void> whenReady();
  kj::Promise<void> sendPending();

  std::unique_ptr<Subscription> subscription_;
  rpc::EventSink::Client sink_;
  std::deque<EventPtr> pending_;  // taken from the subscription, not sent yet
};

void toRpc(const Event& event, rpc::Envelope::Builder out);

}  // namespace tenon::events
