// The task lifecycle events this runtime publishes through the host, with
// containerd's topics and field names (snake_case JSON):
//   /tasks/create        {container_id, bundle, rootfs: [{type, source, target, options}],
//                         io: {stdin, stdout, stderr, terminal}, pid}
//   /tasks/start         {container_id, pid}
//   /tasks/exit          {container_id, id, pid, exit_status, exited_at}
//                        (id: the exec id, or the container id for the init process)
//   /tasks/paused        {container_id}
//   /tasks/resumed       {container_id}
//   /tasks/delete        {container_id, pid, exit_status, exited_at}   (the task, not an exec)
//   /tasks/exec-added    {container_id, exec_id}
//   /tasks/exec-started  {container_id, exec_id, pid}
// exited_at is RFC 3339 with nanoseconds, UTC. An event that cannot be
// published is logged, never turned into the failure of the operation.
#pragma once

#include <string>
#include <tenon/mount.hpp>
#include <tenon/plugin.hpp>
#include <vector>

#include "common/shim_protocol.hpp"
#include "plugin/task.hpp"

namespace tenon::runtime_runc {

class TaskEvents {
 public:
  explicit TaskEvents(Host host) : host_(host) {}

  void created(const Task& task, const std::vector<Mount>& rootfs, const ProcessIo& io, uint32_t pid) const;
  void started(const Task& task, uint32_t pid) const;
  void exited(const Task& task, const ProcessState& exit) const;
  void paused(const Task& task) const;
  void resumed(const Task& task) const;
  void deleted(const Task& task, const ProcessState& last) const;
  void execAdded(const Task& task, const std::string& execId) const;
  void execStarted(const Task& task, const std::string& execId, uint32_t pid) const;

 private:
  void publish(const Task& task, const char* topic, json payload) const;

  Host host_;
};

}  // namespace tenon::runtime_runc
