// Deleting what a run made, shared by `ctr run`, `ctr tasks rm` and
// `ctr containers rm`: a stopped task, a container and its snapshot.
#pragma once

#include <string>

#include "attached_task.hpp"

namespace tenon::ctr {

// Deletes the stopped task or exec; returns its exit status.
uint32_t deleteTask(Connection& connection, const ProcessRef& process);
// Deletes the container record, then its snapshot (a missing one is fine).
void deleteContainer(Connection& connection, const std::string& id);

// The same on a failure path: errors are swallowed (the first error is the one to report).
void deleteTaskQuietly(Connection& connection, const ProcessRef& process) noexcept;
void deleteContainerQuietly(Connection& connection, const std::string& id) noexcept;

}  // namespace tenon::ctr
