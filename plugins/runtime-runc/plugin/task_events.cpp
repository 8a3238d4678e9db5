#include "plugin/task_events.hpp"

#include "common/files.hpp"

namespace tenon::runtime_runc {

void TaskEvents::publish(const Task& task, const char* topic, json payload) const {
  payload["container_id"] = task.identity().id;
  try {
    host_.publish(task.identity().ns, topic, payload.dump());
  } catch (const std::exception& e) {
    host_.warn(std::string("cannot publish ") + topic + " for task " + task.name() + ": " + e.what());
  }
}

void TaskEvents::created(const Task& task, const std::vector<Mount>& rootfs, const ProcessIo& io, uint32_t pid) const {
  json mounts = json::array();
  for (const Mount& m : rootfs)
    mounts.push_back({{"type", m.type}, {"source", m.source}, {"target", m.target}, {"options", m.options}});
  publish(task, "/tasks/create",
          {{"bundle", task.bundle().dir.string()}, {"rootfs", mounts}, {"io", io}, {"pid", pid}});
}

void TaskEvents::started(const Task& task, uint32_t pid) const { publish(task, "/tasks/start", {{"pid", pid}}); }

void TaskEvents::exited(const Task& task, const ProcessState& exit) const {
  publish(task, "/tasks/exit",
          {{"id", exit.execId.empty() ? task.identity().id : exit.execId},
           {"pid", exit.pid},
           {"exit_status", exit.exitStatus},
           {"exited_at", rfc3339(exit.exitedAt)}});
}

void TaskEvents::paused(const Task& task) const { publish(task, "/tasks/paused", json::object()); }

void TaskEvents::resumed(const Task& task) const { publish(task, "/tasks/resumed", json::object()); }

void TaskEvents::deleted(const Task& task, const ProcessState& last) const {
  publish(task, "/tasks/delete",
          {{"pid", last.pid}, {"exit_status", last.exitStatus}, {"exited_at", rfc3339(last.exitedAt)}});
}

void TaskEvents::execAdded(const Task& task, const std::string& execId) const {
  publish(task, "/tasks/exec-added", {{"exec_id", execId}});
}

void TaskEvents::execStarted(const Task& task, const std::string& execId, uint32_t pid) const {
  publish(task, "/tasks/exec-started", {{"exec_id", execId}, {"pid", pid}});
}

}  // namespace tenon::runtime_runc
