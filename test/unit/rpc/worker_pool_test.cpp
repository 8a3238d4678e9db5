#include <doctest/doctest.h>

#include <kj/async.h>
#include <kj/vector.h>

#include <atomic>
#include <thread>

#include "rpc/worker_pool.hpp"

using namespace tenon;

TEST_CASE("work runs off the loop's thread and its result comes back on it") {
  kj::EventLoop loop;
  kj::WaitScope waitScope(loop);
  rpc::WorkerPool pool(2);
  auto loopThread = std::this_thread::get_id();
  auto promise = pool.run([&] { return std::this_thread::get_id() != loopThread ? 42 : -1; });
  CHECK(promise.wait(waitScope) == 42);
}

TEST_CASE("a tenon::Error thrown by the work arrives as an RPC error with its code") {
  kj::EventLoop loop;
  kj::WaitScope waitScope(loop);
  rpc::WorkerPool pool(1);
  auto promise = pool.run([]() -> int { fail(TENON_NOT_FOUND, "image x"); });
  try {
    promise.wait(waitScope);
    FAIL("expected an exception");
  } catch (const kj::Exception& e) {
    CHECK(std::string(e.getDescription().cStr()) == "not_found: image x");
  }
}

TEST_CASE("many jobs all complete, and the pool drains its queue before it is destroyed") {
  std::atomic<int> done = 0;
  {
    kj::EventLoop loop;
    kj::WaitScope waitScope(loop);
    rpc::WorkerPool pool(2);
    kj::Vector<kj::Promise<void>> promises;
    for (int i = 0; i < 100; ++i) promises.add(pool.run([&] { ++done; }));
    kj::joinPromises(promises.releaseAsArray()).wait(waitScope);
    CHECK(done == 100);
  }
}
