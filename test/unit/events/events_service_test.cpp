// The Events RPC service on a real KJ loop: events published on other threads
// reach the client's sink in order, cancelling the call unsubscribes, a
// subscriber that cannot keep up ends with an error naming what it missed,
// and publish checks what it is given.
#include <doctest/doctest.h>

#include <kj/async-io.h>
#include <kj/debug.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "events/events_service.hpp"

using namespace tenon;

namespace {

// What the sink saw, shared with the test: the sink itself belongs to the RPC system.
struct Received {
  std::vector<std::string> topics;
  size_t wanted = 0;
  kj::Own<kj::PromiseFulfiller<void>> enough;  // fulfilled once `wanted` have arrived
  // What each event() call waits for before it returns: nothing, unless a test stalls the sink.
  kj::ForkedPromise<void> release = kj::Promise<void>(kj::READY_NOW).fork();
};

class CollectingSink final : public rpc::EventSink::Server {
 public:
  explicit CollectingSink(std::shared_ptr<Received> received) : received_(std::move(received)) {}

 protected:
  kj::Promise<void> event(EventContext context) override {
    received_->topics.push_back(context.getParams().getEnvelope().getTopic().cStr());
    if (received_->topics.size() == received_->wanted) received_->enough->fulfill();
    return received_->release.addBranch();
  }

 private:
  std::shared_ptr<Received> received_;
};

struct Fixture {
  explicit Fixture(size_t backlog = 1000) : exchange(backlog), client(kj::heap<events::EventsService>(exchange)) {}

  kj::AsyncIoContext io = kj::setupAsyncIo();
  events::EventExchange exchange;
  rpc::Events::Client client;
  std::shared_ptr<Received> received = std::make_shared<Received>();

  kj::Promise<void> subscribe(std::vector<std::string> filters, size_t wanted) {
    auto paf = kj::newPromiseAndFulfiller<void>();
    received->wanted = wanted;
    received->enough = kj::mv(paf.fulfiller);
    auto request = client.subscribeRequest();
    auto list = request.initFilters(filters.size());
    for (unsigned i = 0; i < filters.size(); ++i) list.set(i, filters[i]);
    request.setSink(kj::heap<CollectingSink>(received));
    subscription = request.send().ignoreResult();
    return kj::mv(paf.promise);
  }

  // Waits for `promise`, failing the test instead of hanging if it never comes.
  template <class T>
  T waitBounded(kj::Promise<T> promise) {
    auto timeout = io.provider->getTimer().afterDelay(10 * kj::SECONDS).then([]() -> kj::Promise<T> {
      return KJ_EXCEPTION(FAILED, "timed out");
    });
    return promise.exclusiveJoin(kj::mv(timeout)).wait(io.waitScope);
  }

  // Lets the loop run what is queued (the server's side of a call).
  void settle() {
    for (int i = 0; i < 10; ++i) kj::evalLater([] {}).wait(io.waitScope);
  }

  kj::Maybe<kj::Promise<void>> subscription;
};

}  // namespace

TEST_CASE("events published on other threads reach the client's sink in publish order") {
  Fixture f;
  auto enough = f.subscribe({"topic~=^/test/"}, 100);
  f.settle();
  REQUIRE(f.exchange.subscriberCount() == 1);
  std::thread publisher([&f] {
    for (int i = 0; i < 100; ++i) {
      f.exchange.publish("default", "/test/" + std::to_string(i), {});
      f.exchange.publish("default", "/other/ignored", {});
    }
  });
  f.waitBounded(kj::mv(enough));
  publisher.join();
  REQUIRE(f.received->topics.size() == 100);
  for (int i = 0; i < 100; ++i) CHECK(f.received->topics[i] == "/test/" + std::to_string(i));
}

TEST_CASE("cancelling the subscribe call unsubscribes") {
  Fixture f;
  auto enough = f.subscribe({}, 1);
  f.settle();
  REQUIRE(f.exchange.subscriberCount() == 1);
  f.exchange.publish("default", "/test/one", {});
  f.waitBounded(kj::mv(enough));
  f.subscription = nullptr;  // the client gives up
  f.settle();
  CHECK(f.exchange.subscriberCount() == 0);
}

TEST_CASE("a client that stops taking events is dropped with an error naming how many it missed") {
  Fixture f(2);
  auto held = kj::newPromiseAndFulfiller<void>();
  f.received->release = held.promise.fork();  // the sink takes the first event, then stalls
  auto enough = f.subscribe({}, 1);
  f.settle();
  f.exchange.publish("default", "/test/0", {});
  f.waitBounded(kj::mv(enough));
  // While the sink holds /test/0, two events queue and the third overflows the bound.
  for (int i = 1; i < 10; ++i) f.exchange.publish("default", "/test/" + std::to_string(i), {});
  held.fulfiller->fulfill();  // the client catches up: it now learns what it lost
  KJ_IF_MAYBE(call, f.subscription) {
    try {
      f.waitBounded(kj::mv(*call));
      FAIL("the subscription should have ended with an error");
    } catch (const kj::Exception& e) {
      std::string description = e.getDescription().cStr();
      CAPTURE(description);
      CHECK(description.find("resource_exhausted") != std::string::npos);
      CHECK(description.find("more than 2 events behind") != std::string::npos);
      CHECK(description.find("missed 9 events") != std::string::npos);  // all but the one it took
    }
  }
  f.subscription = nullptr;
  f.settle();
  CHECK(f.exchange.subscriberCount() == 0);
}

TEST_CASE("publish over RPC checks the namespace, topic and payload, and delivers what passes") {
  Fixture f;
  auto subscription = f.exchange.subscribe(filters::Filter::parse({}));
  auto publish = [&](const char* ns, const char* topic, const char* payload) -> std::string {
    auto request = f.client.publishRequest();
    request.initCtx().setNamespace(ns);
    request.setTopic(topic);
    request.setPayload(payload);
    try {
      f.waitBounded(request.send().ignoreResult());
      return "";
    } catch (const kj::Exception& e) {
      return e.getDescription().cStr();
    }
  };
  CHECK(publish("", "/test/ok", "{\"a\": 1}") == "");
  CHECK(publish("team-a", "/test/ok", "") == "");
  CHECK(publish("default", "test/no-slash", "{}").starts_with("invalid_argument: "));
  CHECK(publish("default", "/test/array", "[1, 2]").starts_with("invalid_argument: "));
  CHECK(publish("Bad", "/test/ns", "{}").starts_with("invalid_argument: "));
  auto batch = subscription->take();
  REQUIRE(batch.events.size() == 2);
  CHECK(batch.events[0]->ns == "default");
  CHECK(batch.events[0]->payload == "{\"a\":1}");
  CHECK(batch.events[1]->ns == "team-a");
}

TEST_CASE("a bad filter fails the subscribe call with invalid_argument") {
  Fixture f;
  f.subscribe({R"(topic=="/bad)"}, 1);  // an unterminated quote
  KJ_IF_MAYBE(call, f.subscription) {
    try {
      f.waitBounded(kj::mv(*call));
      FAIL("expected an error");
    } catch (const kj::Exception& e) {
      CHECK(std::string(e.getDescription().cStr()).starts_with("invalid_argument: "));
    }
  }
  CHECK(f.exchange.subscriberCount() == 0);
}
