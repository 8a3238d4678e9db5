#include "metrics/oom_watching.hpp"

#include <nlohmann/json.hpp>
#include <tenon/error.hpp>

namespace tenon::metrics {

namespace {

// The container id of an init process's exit; "" for an exec's exit or a payload without one.
std::string initExitOf(const std::string& payloadJson) {
  auto payload = nlohmann::json::parse(payloadJson, nullptr, false);
  if (!payload.is_object() || !payload.contains("container_id") || !payload["container_id"].is_string()) return "";
  std::string id = payload["container_id"];
  // The runtime names the exited process in "id": the container id for the init, the exec id otherwise.
  if (payload.contains("id") && payload["id"] != id) return "";
  return id;
}

}  // namespace

void OomWatching::attach(MetricsTable table) {
  std::lock_guard lock(mutex_);
  table_ = table;
}

void OomWatching::detach() {
  std::lock_guard lock(mutex_);
  table_.reset();
}

void OomWatching::watch(const MetricsTarget& target) {
  std::lock_guard lock(mutex_);
  if (!table_ || target.cgroupPath.empty()) return;
  try {
    table_->watchOom(target);
  } catch (const std::exception& e) {
    logger_.warn("cannot watch task for OOM kills", {{"namespace", target.ns}, {"id", target.id}, {"error", e.what()}});
  }
}

void OomWatching::beforeExit(const std::string& ns, const std::string& exitPayloadJson) {
  std::string id = initExitOf(exitPayloadJson);
  if (id.empty()) return;
  std::lock_guard lock(mutex_);
  if (!table_) return;
  try {
    table_->unwatchOom(ns, id);
  } catch (const std::exception& e) {
    logger_.warn("cannot check task for OOM kills at its exit", {{"namespace", ns}, {"id", id}, {"error", e.what()}});
  }
}

}  // namespace tenon::metrics
