// Task metrics through ctr and the Prometheus page, and /tasks/oom before /tasks/exit,
// with real containers. Namespaces are unique per run: cgroups (/tenon/<ns>/<id>) are host-wide.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "metrics_daemon.hpp"
#include "temp_dir.hpp"

using namespace tenon::test;

namespace {

std::string uniqueNamespace(const std::string& name) {
  static std::atomic<int> next{0};
  return "metrics-" + std::to_string(::getpid()) + "-" + std::to_string(next++) + "-" + name;
}

// Polls `fn` (up to ~10 s) until it holds; whether it did. Waiting is not asserted on, only the outcome.
template <class F>
bool eventually(F&& fn) {
  for (int i = 0; i < 200; ++i) {
    if (fn()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return fn();
}

// `ctr events` in the background, its output in a file; returns once it is subscribed
// (it has printed the /namespaces/create of a probe namespace).
class EventLog {
 public:
  explicit EventLog(const MetricsDaemon& daemon)
      : process_({kCtr, "--address", daemon.daemon().address(), "events"}, {"TENON_ADDRESS", "TENON_NAMESPACE"},
                 dir_ / "events.txt") {
    std::string probe = uniqueNamespace("probe");
    REQUIRE(eventually([&] {
      daemon.ctr("default", {"namespaces", "create", probe + std::to_string(probes_++)});
      return text().find("/namespaces/create") != std::string::npos;
    }));
  }
  std::string text() const { return readFile(dir_ / "events.txt"); }

 private:
  TempDir dir_{"tenon-events"};
  BackgroundProcess process_;
  int probes_ = 0;
};

}  // namespace

TEST_CASE("a busy loop's cpu usage grows between two samples") {
  MetricsDaemon d;
  std::string ns = uniqueNamespace("cpu");
  d.runDetached(ns, "busy", {}, {"sh", "-c", "while :; do :; done"});
  std::optional<double> first = d.sample(ns, "busy", "cpu.usage_ns");
  REQUIRE(first);
  CHECK(eventually([&] { return d.sample(ns, "busy", "cpu.usage_ns") > first; }));
  CHECK(d.sample(ns, "busy", "memory.usage_bytes") > 0);
}

TEST_CASE("limits set by ctr run are reported as the cgroup's limits") {
  MetricsDaemon d;
  std::string ns = uniqueNamespace("limits");
  // A multiple of the page size: cgroup v1 rounds memory.limit_in_bytes down to one.
  d.runDetached(ns, "limited", {"--memory-limit", "67108864", "--pids-limit", "50", "--cpus", "0.5"},
                {"busybox", "sleep", "1000"});
  CHECK(d.sample(ns, "limited", "memory.limit_bytes") == 67108864.0);
  CHECK(d.sample(ns, "limited", "pids.limit") == 50.0);
  CHECK(d.sample(ns, "limited", "cpu.limit_cpus") == 0.5);
  d.runDetached(ns, "unlimited", {}, {"busybox", "sleep", "1000"});
  CHECK_FALSE(d.sample(ns, "unlimited", "memory.limit_bytes"));  // no limit: absent, not a huge number
  CHECK_FALSE(d.sample(ns, "unlimited", "pids.limit"));
}

TEST_CASE("pids.current counts the forked children") {
  MetricsDaemon d;
  std::string ns = uniqueNamespace("pids");
  d.runDetached(ns, "forks", {}, {"sh", "-c", "busybox sleep 1000 & busybox sleep 1000 & wait"});
  CHECK(eventually([&] { return d.sample(ns, "forks", "pids.current") >= 3.0; }));
}

TEST_CASE("a container killed for memory has /tasks/oom published before its /tasks/exit") {
  MetricsDaemon d;
  std::string ns = uniqueNamespace("oom");
  EventLog events(d);
  // tail keeps the last "line" of /dev/zero, which never ends: it grows until the limit kills it.
  d.runDetached(ns, "hog", {"--memory-limit", "33554432"}, {"busybox", "tail", "/dev/zero"});
  ProcessResult waited = d.ctr(ns, {"tasks", "wait", "hog"});
  CHECK(waited.status.code == 137);
  REQUIRE(eventually([&] { return events.text().find("/tasks/exit") != std::string::npos; }));
  std::string log = events.text();
  size_t oom = log.find("/tasks/oom {\"container_id\":\"hog\"}");
  size_t exit = log.find("/tasks/exit");
  REQUIRE_MESSAGE(oom != std::string::npos, log);
  CHECK(oom < exit);
  CHECK(log.find(ns + " /tasks/oom") != std::string::npos);
}

TEST_CASE("metrics of an unknown task are not_found: ctr exits 1 with one line") {
  MetricsDaemon d;
  ProcessResult result = d.ctr(uniqueNamespace("none"), {"tasks", "metrics", "nosuch"});
  CHECK(result.status.code == 1);
  CHECK(result.out.empty());
  CHECK(result.err.find("task \"nosuch\" not found") != std::string::npos);
  CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
}

TEST_CASE("the Prometheus page lists both namespaces' containers and passes promtool") {
  MetricsDaemon d;
  std::string a = uniqueNamespace("a"), b = uniqueNamespace("b");
  d.runDetached(a, "first", {"--memory-limit", "67108864"}, {"busybox", "sleep", "1000"});
  d.runDetached(b, "second", {}, {"busybox", "sleep", "1000"});
  std::string response = d.httpGet("/v1/metrics");
  REQUIRE(response.starts_with("HTTP/1.1 200"));
  CHECK(response.find("text/plain; version=0.0.4") != std::string::npos);
  std::string page = response.substr(response.find("\r\n\r\n") + 4);
  CHECK(page.find("container_memory_limit_bytes{namespace=\"" + a + "\",container_id=\"first\"} 67108864\n") !=
        std::string::npos);
  CHECK(page.find("container_pids_current{namespace=\"" + b + "\",container_id=\"second\"}") != std::string::npos);
  TempDir dir("tenon-promtool");
  writeFile(dir / "page.txt", page);
  ProcessResult lint = runProcess({"sh", "-c", "promtool check metrics < \"$0\"", dir / "page.txt"});
  CHECK_MESSAGE(lint.status.code == 0, lint.out, lint.err);
  CHECK(d.httpGet("/elsewhere").starts_with("HTTP/1.1 404"));
}
