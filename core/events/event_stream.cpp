#include "events/event_stream.hpp"

#include <string>

#include "rpc/rpc_errors.hpp"

namespace tenon::events {

void toRpc(const Event& event, rpc::Envelope::Builder out) {
  out.setTimestamp(event.timestamp);
  out.setNamespace(event.ns);
  out.setTopic(event.topic);
  out.setPayload(event.payload);
}

kj::Promise<void> EventStream::run() {
  Batch batch = subscription_->take();
  if (batch.missed) {
    return rpc::toKjException(TENON_RESOURCE_EXHAUSTED,
                              "event subscriber dropped: it fell more than " +
                                  std::to_string(subscription_->backlogLimit()) + " events behind and missed " +
                                  std::to_string(*batch.missed) + " events");
  }
  if (batch.events.empty()) return whenReady().then([this] { return run(); });
  pending_.assign(batch.events.begin(), batch.events.end());
  return sendPending().then([this] { return run(); });
}

kj::Promise<void> EventStream::whenReady() {
  auto paf = kj::newPromiseAndCrossThreadFulfiller<void>();
  // Fulfilled from a publisher's thread; a no-op should the stream be gone by then.
  subscription_->whenReady([fulfiller = kj::mv(paf.fulfiller)]() mutable { fulfiller->fulfill(); });
  return kj::mv(paf.promise);
}

kj::Promise<void> EventStream::sendPending() {
  if (pending_.empty()) return kj::READY_NOW;
  auto request = sink_.eventRequest();
  toRpc(*pending_.front(), request.initEnvelope());
  pending_.pop_front();
  // Resolves as soon as flow control lets another one go, not when the client has handled it.
  return request.send().then([this] { return sendPending(); });
}

}  // namespace tenon::events
