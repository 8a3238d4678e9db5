// The daemon's event exchange. Publishers on any thread (plugins through the
// host table, core services after their transactions, RPC clients) hand it
// events; it gives each subscriber whose filter matches its own copy of the
// pointer, in one order for everybody (the order publishers got through).
//
// Each subscriber reads from a bounded queue of its own, so that a slow one
// never slows publishers or the others: once its backlog would pass the bound
// it is dropped — the backlog is freed at once and later events only counted
// — and its next read reports how many events it missed. The reader then
// destroys its Subscription, which unsubscribes it. Either may outlive the
// other: a call the RPC system has yet to cancel may hold a subscription past
// the daemon's exchange, which then simply never hears of another event.
#pragma once

#include <kj/function.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/event.hpp"
#include "events/publisher.hpp"
#include "filters/filter.hpp"

namespace tenon::events {

// How many events a subscriber may have waiting before it is dropped.
inline constexpr std::size_t kDefaultBacklog = 1024;

// The lock and the subscriber list, shared by the exchange and its subscriptions.
struct SubscriberHub;

// What a subscriber finds when it reads.
struct Batch {
  std::vector<EventPtr> events;    // in publish order, oldest first
  std::optional<uint64_t> missed;  // set once it was dropped: the events it never received
};

// One subscriber, owned by whoever reads it. Destroying it unsubscribes.
class Subscription {
 public:
  ~Subscription();
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;

  // Everything queued since the last take, or, once dropped, the count of missed events.
  Batch take();
  // Calls `wake` once, on whichever thread gives this subscription something
  // to take (an event or the drop), or before returning when there is
  // something already; it replaces a `wake` not called yet. It runs outside
  // the exchange's lock and must not block: it hands off (a cross-thread
  // fulfiller, a condition variable).
  void whenReady(kj::Function<void()> wake);
  // The bound on its backlog, for the message that says it was dropped.
  std::size_t backlogLimit() const { return backlogLimit_; }

 private:
  friend class EventExchange;
  Subscription(std::shared_ptr<SubscriberHub> hub, filters::Filter filter, std::size_t backlogLimit)
      : hub_(std::move(hub)), filter_(std::move(filter)), backlogLimit_(backlogLimit) {}
  // Under the hub's lock: queues `event` if it matches, or counts it as
  // missed; returns the wake to call (after unlocking) when it became ready.
  std::optional<kj::Function<void()>> offer(const EventPtr& event);
  bool hasSomethingToTake() const { return !backlog_.empty() || dropped_; }

  std::shared_ptr<SubscriberHub> hub_;
  const filters::Filter filter_;
  const std::size_t backlogLimit_;
  // Guarded by hub_->mutex.
  std::deque<EventPtr> backlog_;
  bool dropped_ = false;
  uint64_t missed_ = 0;
  std::optional<kj::Function<void()>> wake_;
};

class EventExchange final : public Publisher {
 public:
  explicit EventExchange(std::size_t backlogLimit = kDefaultBacklog);
  EventExchange(const EventExchange&) = delete;
  EventExchange& operator=(const EventExchange&) = delete;

  // See Publisher::publish. The timestamp is taken here, strictly increasing
  // in publish order even when the clock stands still or steps back.
  void publish(const std::string& ns, const std::string& topic, const nlohmann::json& payload) override;
  // The same for a payload as JSON text, from RPC clients and plugins ("" is
  // {}); invalid_argument unless it is one JSON object within kMaxPayloadBytes.
  void publishText(const std::string& ns, const std::string& topic, std::string_view payloadJson);

  // Subscribes to the events `filter` matches (events.capnp: namespace,
  // topic, event.<field>) from now on.
  std::unique_ptr<Subscription> subscribe(filters::Filter filter);
  std::size_t subscriberCount() const;

 private:
  void deliver(Event event);

  const std::size_t backlogLimit_;
  std::shared_ptr<SubscriberHub> hub_;
};

struct SubscriberHub {
  std::mutex mutex;
  std::vector<Subscription*> subscribers;  // guarded by mutex, as is each one's queue
  std::int64_t lastTimestamp = 0;          // guarded by mutex
};

}  // namespace tenon::events
