#include <doctest/doctest.h>

#include <tenon/error.hpp>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>
#include <vector>

#include "push/parallel_tasks.hpp"

using namespace tenon;
using namespace tenon::push;
using namespace std::chrono_literals;

TEST_CASE("parallel tasks: every task runs once, never more than the width at a time") {
  std::atomic<int> running{0}, most{0};
  std::vector<std::atomic<int>> runs(20);
  runInParallel(runs.size(), 3, {}, [&](std::size_t i, std::stop_token) {
    int now = ++running;
    for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {}
    std::this_thread::sleep_for(5ms);
    ++runs[i];
    --running;
  });
  for (auto& count : runs) CHECK(count == 1);
  CHECK(most <= 3);
  CHECK(most >= 2);  // they did overlap
}

TEST_CASE("parallel tasks: the first error stops the others and is rethrown") {
  std::atomic<int> started{0};
  std::atomic<bool> stoppedSeen{false};
  auto run = [&] {
    runInParallel(100, 2, {}, [&](std::size_t i, std::stop_token stop) {
      ++started;
      if (i == 0) {
        while (started < 2) std::this_thread::sleep_for(1ms);  // the other thread has a task under way
        fail(TENON_PERMISSION_DENIED, "denied: blob 0");
      }
      // The other thread's task waits until the failure reaches it.
      for (int waited = 0; !stop.stop_requested() && waited < 2000; ++waited) std::this_thread::sleep_for(1ms);
      if (stop.stop_requested()) stoppedSeen = true;
    });
  };
  try {
    run();
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.code() == TENON_PERMISSION_DENIED);
    CHECK(std::string(e.what()) == "denied: blob 0");
  }
  CHECK(stoppedSeen);
  CHECK(started < 100);
}

TEST_CASE("parallel tasks: a stop skips what has not started and says cancelled") {
  std::stop_source stop;
  std::atomic<int> started{0};
  try {
    runInParallel(50, 1, stop.get_token(), [&](std::size_t i, std::stop_token) {
      ++started;
      if (i == 4) stop.request_stop();
    });
    FAIL("not cancelled");
  } catch (const Error& e) {
    CHECK(e.code() == TENON_CANCELLED);
  }
  CHECK(started == 5);
}

TEST_CASE("parallel tasks: nothing to do returns at once") {
  runInParallel(0, 3, {}, [](std::size_t, std::stop_token) { FAIL("a task ran"); });
}
