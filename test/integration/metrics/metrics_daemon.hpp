// A tenond for the metrics tests: the content store, overlayfs, runc and the
// metrics-cgroup plugin, the Prometheus page on a free loopback port, and a
// busybox image (built once per process, image_archives.hpp) imported on
// demand per namespace. Containers run detached (`ctr run -d`); the destructor
// kills, deletes and removes every one the test started, then stops tenond.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "built_programs.hpp"

namespace tenon::test {

class MetricsDaemon {
 public:
  MetricsDaemon();
  ~MetricsDaemon();

  // `ctr -n ns args...` (REQUIREs nothing: the caller checks).
  ProcessResult ctr(const std::string& ns, const std::vector<std::string>& args) const;
  // `ctr -n ns run -d [flags] busybox:latest id command...`; REQUIREs success.
  void runDetached(const std::string& ns, const std::string& id, const std::vector<std::string>& flags,
                   const std::vector<std::string>& command);
  // The value of sample `name` (with `labels`) from `ctr tasks metrics --format json`; nullopt when absent.
  std::optional<double> sample(const std::string& ns, const std::string& id, const std::string& name,
                               const std::map<std::string, std::string>& labels = {}) const;
  // GET http://<metrics address><path>: the whole response, status line included.
  std::string httpGet(const std::string& path) const;

  const TestDaemon& daemon() const { return daemon_; }

 private:
  void importImage(const std::string& ns);

  int port_;
  TestDaemon daemon_;
  std::set<std::string> imported_;
  std::vector<std::pair<std::string, std::string>> started_;  // (ns, id)
};

}  // namespace tenon::test
