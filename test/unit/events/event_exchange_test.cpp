// The event exchange: order, filters, slow subscribers, unsubscribing, and the
// checks an event passes before it is published.
#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <tenon/error.hpp>
#include <thread>
#include <vector>

#include "events/event_exchange.hpp"
#include "thrown_error.hpp"

using namespace tenon;
using events::EventExchange;
using events::EventPtr;

namespace {

filters::Filter filterOf(std::vector<std::string> texts) { return filters::Filter::parse(texts); }

std::vector<std::string> topicsOf(const std::vector<EventPtr>& events) {
  std::vector<std::string> topics;
  for (const auto& e : events) topics.push_back(e->topic);
  return topics;
}

using tenon::test::codeOf;

// Waits (bounded) for whenReady's wake, as a reader on its own thread would.
bool waitUntilReady(events::Subscription& subscription) {
  auto state = std::make_shared<std::pair<std::mutex, std::condition_variable>>();
  auto woken = std::make_shared<bool>(false);
  subscription.whenReady([state, woken] {
    std::lock_guard lock(state->first);
    *woken = true;
    state->second.notify_all();
  });
  std::unique_lock lock(state->first);
  return state->second.wait_for(lock, std::chrono::seconds(10), [&] { return *woken; });
}

}  // namespace

TEST_CASE("a subscriber receives matching events in publish order with their namespace and a compact payload") {
  EventExchange exchange;
  auto subscription = exchange.subscribe(filterOf({}));
  exchange.publish("default", "/images/create", {{"name", "a"}});
  exchange.publishText("team-b", "/images/delete", "{ \"name\" :\n \"b\" }");
  exchange.publishText("default", "/tasks/exit", "");

  events::Batch batch = subscription->take();
  REQUIRE(batch.events.size() == 3);
  CHECK_FALSE(batch.missed);
  CHECK(topicsOf(batch.events) == std::vector<std::string>{"/images/create", "/images/delete", "/tasks/exit"});
  CHECK(batch.events[1]->ns == "team-b");
  CHECK(batch.events[1]->payload == R"({"name":"b"})");
  CHECK(batch.events[2]->payload == "{}");
  CHECK(batch.events[0]->timestamp < batch.events[1]->timestamp);
  CHECK(batch.events[1]->timestamp < batch.events[2]->timestamp);
  CHECK(subscription->take().events.empty());
}

TEST_CASE("events published from many threads reach every subscriber in one and the same order") {
  EventExchange exchange(100'000);
  auto first = exchange.subscribe(filterOf({}));
  auto second = exchange.subscribe(filterOf({}));
  constexpr int kThreads = 4, kEach = 500;
  std::vector<std::thread> publishers;
  for (int t = 0; t < kThreads; ++t)
    publishers.emplace_back([&exchange, t] {
      for (int i = 0; i < kEach; ++i) exchange.publish("default", "/test/t" + std::to_string(t), {{"seq", i}});
    });
  for (auto& p : publishers) p.join();

  auto a = first->take().events, b = second->take().events;
  REQUIRE(a.size() == kThreads * kEach);
  CHECK(a == b);  // the same shared events, in the same order
  std::vector<int> next(kThreads, 0);
  for (const auto& e : a) {
    int thread = e->topic.back() - '0';
    CHECK(e->fields.at("seq").get<int>() == next[thread]++);  // each publisher's own order kept
  }
}

TEST_CASE("filters select on namespace, topic and payload fields, and any filter may match") {
  EventExchange exchange;
  auto byTopic = exchange.subscribe(filterOf({"topic==\"/images/create\""}));
  auto byNamespaceAndPrefix = exchange.subscribe(filterOf({"namespace==team-a,topic~=^/containers/"}));
  auto byField = exchange.subscribe(filterOf({"event.runtime.name==runc", "event.labels.\"a.b\"==c"}));
  exchange.publish("default", "/images/create", {{"name", "x"}});
  exchange.publish("team-a", "/containers/create", {{"id", "c1"}, {"runtime", {{"name", "runc"}}}});
  exchange.publish("team-b", "/containers/create", {{"id", "c2"}, {"runtime", {{"name", "crun"}}}});
  exchange.publish("team-b", "/images/update", {{"name", "y"}, {"labels", {{"a.b", "c"}}}});

  CHECK(topicsOf(byTopic->take().events) == std::vector<std::string>{"/images/create"});
  auto containers = byNamespaceAndPrefix->take().events;
  REQUIRE(containers.size() == 1);
  CHECK(containers[0]->fields.at("id") == "c1");
  CHECK(topicsOf(byField->take().events) == std::vector<std::string>{"/containers/create", "/images/update"});
}

TEST_CASE("a subscriber that stops reading is dropped past its bound; publishers and others carry on") {
  EventExchange exchange(4);
  auto slow = exchange.subscribe(filterOf({}));
  auto reader = exchange.subscribe(filterOf({}));
  for (int i = 0; i < 10; ++i) {
    exchange.publish("default", "/test/tick", {{"i", i}});
    CHECK(reader->take().events.size() == 1);  // the one that reads misses nothing
  }
  events::Batch batch = slow->take();
  CHECK(batch.events.empty());  // its backlog was freed when it was dropped
  REQUIRE(batch.missed);
  CHECK(*batch.missed == 10);  // 4 queued + the one that overflowed + 5 counted after
  CHECK(slow->backlogLimit() == 4);
  CHECK(*slow->take().missed == 10);  // stays dropped

  exchange.publish("default", "/test/tick", {{"i", 10}});
  CHECK(*slow->take().missed == 11);
  CHECK(reader->take().events.size() == 1);
}

TEST_CASE("destroying a subscription unsubscribes it") {
  EventExchange exchange;
  auto kept = exchange.subscribe(filterOf({}));
  {
    auto gone = exchange.subscribe(filterOf({}));
    CHECK(exchange.subscriberCount() == 2);
  }
  CHECK(exchange.subscriberCount() == 1);
  exchange.publish("default", "/test/after", {});
  CHECK(kept->take().events.size() == 1);
}

TEST_CASE("a subscription may outlive its exchange: it keeps what it had and hears nothing more") {
  std::unique_ptr<events::Subscription> subscription;
  {
    EventExchange exchange;
    subscription = exchange.subscribe(filterOf({}));
    exchange.publish("default", "/test/before", {});
  }
  CHECK(subscription->take().events.size() == 1);
  CHECK(subscription->take().events.empty());
}

TEST_CASE("whenReady wakes a reader from the publisher's thread, or at once when events wait") {
  EventExchange exchange;
  auto subscription = exchange.subscribe(filterOf({}));
  std::thread publisher([&exchange] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    exchange.publish("default", "/test/later", {});
  });
  CHECK(waitUntilReady(*subscription));
  publisher.join();
  CHECK(subscription->take().events.size() == 1);

  exchange.publish("default", "/test/now", {});
  bool called = false;
  subscription->whenReady([&called] { called = true; });
  CHECK(called);
}

TEST_CASE("only a matching event wakes a waiting reader, and a wake is called once") {
  EventExchange exchange;
  auto subscription = exchange.subscribe(filterOf({"topic==/test/wanted"}));
  std::atomic<int> wakes = 0;
  subscription->whenReady([&wakes] { ++wakes; });
  exchange.publish("default", "/test/other", {});
  CHECK(wakes == 0);
  exchange.publish("default", "/test/wanted", {});
  CHECK(wakes == 1);
  exchange.publish("default", "/test/wanted", {});
  CHECK(wakes == 1);  // not armed again until the reader asks
  CHECK(subscription->take().events.size() == 2);
}

TEST_CASE("bad topics, namespaces and payloads are refused with invalid_argument and reach nobody") {
  EventExchange exchange;
  auto subscription = exchange.subscribe(filterOf({}));
  for (const char* topic : {"", "images/create", "/", "/images//create", "/images/create/", "/has space", "/a\nb"})
    CHECK_MESSAGE(codeOf([&] { exchange.publishText("default", topic, "{}"); }) == TENON_INVALID_ARGUMENT, topic);
  CHECK(codeOf([&] { exchange.publishText("Bad NS", "/x", "{}"); }) == TENON_INVALID_ARGUMENT);
  for (const char* payload : {"[1]", "\"text\"", "{", "42", "null"})
    CHECK_MESSAGE(codeOf([&] { exchange.publishText("default", "/x", payload); }) == TENON_INVALID_ARGUMENT, payload);
  std::string huge = "{\"a\":\"" + std::string(events::kMaxPayloadBytes, 'x') + "\"}";
  CHECK(codeOf([&] { exchange.publishText("default", "/x", huge); }) == TENON_INVALID_ARGUMENT);
  CHECK(codeOf([&] { exchange.publish("default", "/x", nlohmann::json::array()); }) == TENON_INVALID_ARGUMENT);
  CHECK(subscription->take().events.empty());
}
