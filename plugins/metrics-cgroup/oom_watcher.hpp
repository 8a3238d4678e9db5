// Watches tasks' cgroups for OOM kills, on one thread of its own (epoll):
//  - v1: an eventfd registered for memory.oom_control through
//    cgroup.event_control (cgroup-v1/memory.rst, "Memory thresholds" and
//    "OOM Control"); the kernel also signals it when the cgroup is removed;
//  - v2: inotify on memory.events, which the kernel marks modified on each
//    change (cgroup-v2.rst: "a value change in this file generates a file
//    modified event").
// Either way the truth is the kill counter (v1 oom_control's oom_kill, v2
// memory.events' oom_kill): a wake-up publishes one OOM per increase, and so
// does unwatch(), which reads the counter once more so that a kill whose
// notification had not been handled yet when the task exited is not lost.
// Publishing happens under the watcher's lock, so that unwatch() returns only
// after every OOM of the task has been published.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tenon/unique_fd.hpp>
#include <thread>
#include <utility>

#include "cgroup_hierarchy.hpp"

namespace tenon::metrics_cgroup {

class OomWatcher {
 public:
  // Called once per OOM kill of task (ns, id), from the watcher's thread or from unwatch().
  using Publish = std::function<void(const std::string& ns, const std::string& id)>;
  // Logs why a watch failed or ended early.
  using Warn = std::function<void(const std::string&)>;

  OomWatcher(Publish publish, Warn warn);  // starts the thread
  ~OomWatcher();                           // stops and joins it
  OomWatcher(const OomWatcher&) = delete;
  OomWatcher& operator=(const OomWatcher&) = delete;

  // Starts watching the cgroup in `dirs` as task (ns, id); watching one twice is a no-op.
  void watch(const std::string& ns, const std::string& id, const CgroupDirs& dirs);
  // Publishes any OOM kill not yet published, then stops watching; unknown tasks are a no-op.
  void unwatch(const std::string& ns, const std::string& id);

 private:
  using Key = std::pair<std::string, std::string>;
  struct Watch;

  void run();
  void onReady(uint64_t token);
  void onInotify();
  // Publishes the kills counted since the last check; false once the cgroup is gone.
  bool checkLocked(Watch& watch);
  void dropLocked(uint64_t token);

  Publish publish_;
  Warn warn_;
  UniqueFd epoll_, inotify_, stop_;
  std::mutex mutex_;
  uint64_t nextToken_ = 2;  // 0: the stop eventfd, 1: the inotify fd
  std::map<uint64_t, std::unique_ptr<Watch>> watches_;
  std::map<Key, uint64_t> byTask_;
  std::map<int, uint64_t> byInotifyWatch_;
  std::thread thread_;
};

}  // namespace tenon::metrics_cgroup
