#include "transfer/progress_channel.hpp"

#include <optional>

namespace tenon::transfer {

ProgressChannel::ProgressChannel(rpc::ProgressSink::Client sink)
    : sink_(kj::mv(sink)),
      pumping_(kj::evalLater([this] { return pump(); })
                   .catch_([this](kj::Exception&&) {
                     // The client stopped listening: drop what comes from now on.
                     std::lock_guard lock(mutex_);
                     closed_ = true;
                     queue_.clear();
                   })
                   .fork()) {}

void ProgressChannel::send(ProgressEvent event) {
  std::lock_guard lock(mutex_);
  if (closed_) return;
  if (!queue_.empty()) {
    ProgressEvent& last = queue_.back();
    // Pushes and pulls name blobs by role ("layer"), so the digest tells them apart;
    // a message ("retrying: ...") is worth keeping.
    if (!last.done && last.message.empty() && last.kind == event.kind && last.ref == event.ref &&
        last.digest == event.digest) {
      last = std::move(event);
      return;
    }
  }
  queue_.push_back(std::move(event));
  if (waiter_) {
    waiter_->fulfill();
    waiter_ = nullptr;
  }
}

void ProgressChannel::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  if (waiter_) {
    waiter_->fulfill();
    waiter_ = nullptr;
  }
}

kj::Promise<void> ProgressChannel::nextEvent() {
  std::lock_guard lock(mutex_);
  if (!queue_.empty() || closed_) return kj::READY_NOW;
  auto paf = kj::newPromiseAndCrossThreadFulfiller<void>();
  waiter_ = kj::mv(paf.fulfiller);
  return kj::mv(paf.promise);
}

kj::Promise<void> ProgressChannel::pump() {
  return nextEvent().then([this]() -> kj::Promise<void> {
    std::optional<ProgressEvent> event;
    {
      std::lock_guard lock(mutex_);
      if (queue_.empty()) return kj::READY_NOW;  // closed and drained
      event = std::move(queue_.front());
      queue_.pop_front();
    }
    auto request = sink_.updateRequest();
    auto out = request.initEvent();
    out.setKind(event->kind.c_str());
    out.setRef(event->ref.c_str());
    out.setDigest(event->digest.c_str());
    out.setBytes(event->bytes);
    out.setTotal(event->total);
    out.setDone(event->done);
    out.setMessage(event->message.c_str());
    // A streaming call: this resolves when flow control has room for the next.
    return request.send().then([this] { return pump(); });
  });
}

}  // namespace tenon::transfer
