#include "events/event_exchange.hpp"

#include <algorithm>
#include <chrono>

namespace tenon::events {

namespace {

std::int64_t nowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Takes the wake out, so that it runs once and outside the lock.
std::optional<kj::Function<void()>> release(std::optional<kj::Function<void()>>& wake) {
  std::optional<kj::Function<void()>> out = std::move(wake);
  wake.reset();
  return out;
}

}  // namespace

Subscription::~Subscription() {
  std::lock_guard lock(hub_->mutex);
  std::erase(hub_->subscribers, this);
}

Batch Subscription::take() {
  std::lock_guard lock(hub_->mutex);
  Batch batch;
  if (dropped_) {
    batch.missed = missed_;
    return batch;
  }
  batch.events.assign(std::make_move_iterator(backlog_.begin()), std::make_move_iterator(backlog_.end()));
  backlog_.clear();
  return batch;
}

void Subscription::whenReady(kj::Function<void()> wake) {
  {
    std::lock_guard lock(hub_->mutex);
    if (!hasSomethingToTake()) {
      wake_ = std::move(wake);
      return;
    }
    wake_.reset();
  }
  wake();
}

std::optional<kj::Function<void()>> Subscription::offer(const EventPtr& event) {
  if (!filter_.matches(eventFields(*event))) return std::nullopt;
  if (dropped_) {
    ++missed_;
    return std::nullopt;
  }
  if (backlog_.size() < backlogLimit_) {
    backlog_.push_back(event);
    return release(wake_);
  }
  // Fallen too far behind: what it has not read is lost anyway, so its memory goes now.
  dropped_ = true;
  missed_ = backlog_.size() + 1;
  backlog_.clear();
  backlog_.shrink_to_fit();
  return release(wake_);
}

EventExchange::EventExchange(std::size_t backlogLimit)
    : backlogLimit_(backlogLimit), hub_(std::make_shared<SubscriberHub>()) {}

void EventExchange::publish(const std::string& ns, const std::string& topic, const nlohmann::json& payload) {
  deliver(makeEvent(ns, topic, payload));
}

void EventExchange::publishText(const std::string& ns, const std::string& topic, std::string_view payloadJson) {
  // Validated in this order so that a bad topic is named before a bad payload is parsed.
  checkTopic(topic);
  deliver(makeEvent(ns, topic, parsePayload(payloadJson)));
}

std::unique_ptr<Subscription> EventExchange::subscribe(filters::Filter filter) {
  std::unique_ptr<Subscription> subscription(new Subscription(hub_, std::move(filter), backlogLimit_));
  std::lock_guard lock(hub_->mutex);
  hub_->subscribers.push_back(subscription.get());
  return subscription;
}

std::size_t EventExchange::subscriberCount() const {
  std::lock_guard lock(hub_->mutex);
  return hub_->subscribers.size();
}

void EventExchange::deliver(Event event) {
  std::vector<kj::Function<void()>> wakes;
  {
    std::lock_guard lock(hub_->mutex);
    // Stamped under the lock, so that timestamps increase in the order every subscriber sees.
    event.timestamp = hub_->lastTimestamp = std::max(nowNanos(), hub_->lastTimestamp + 1);
    auto shared = std::make_shared<const Event>(std::move(event));
    for (Subscription* subscriber : hub_->subscribers)
      if (auto wake = subscriber->offer(shared)) wakes.push_back(std::move(*wake));
  }
  for (auto& wake : wakes) wake();
}

}  // namespace tenon::events
