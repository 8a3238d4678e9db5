// What lives in a task's bundle directory, the one place both the plugin and
// the shim look for it:
//   <bundle>/config.json             the OCI spec, root.path = <bundle>/rootfs (plugin)
//   <bundle>/rootfs/                 the Mount list mounted here (plugin)
//   <bundle>/task.json               who the task is and how to reach its shim (plugin);
//                                    its presence is what makes a directory a task
//   <bundle>/shim.pid, shim.log      the shim's pid and its own diagnostics (shim)
//   <bundle>/runtime-log.json        the OCI runtime's --log, errors read from it (shim)
//   <bundle>/init/                   the init process: pid (runtime's pid file),
//   <bundle>/execs/<exec id>/        an exec: process.json too;
//                                    each with `exit` (status, written atomically by the
//                                    shim) and `exit-published` (the plugin's marker that
//                                    /tasks/exit went out, so that it goes out once)
#pragma once

#include <filesystem>
#include <string>

namespace tenon::runtime_runc {

struct BundleLayout {
  std::filesystem::path dir;

  std::filesystem::path config() const { return dir / "config.json"; }
  std::filesystem::path rootfs() const { return dir / "rootfs"; }
  std::filesystem::path taskFile() const { return dir / "task.json"; }
  std::filesystem::path shimPidFile() const { return dir / "shim.pid"; }
  std::filesystem::path shimLog() const { return dir / "shim.log"; }
  std::filesystem::path runtimeLog() const { return dir / "runtime-log.json"; }
  std::filesystem::path execsDir() const { return dir / "execs"; }
  // "" names the init process.
  std::filesystem::path processDir(const std::string& execId) const {
    return execId.empty() ? dir / "init" : execsDir() / execId;
  }
  std::filesystem::path pidFile(const std::string& execId) const { return processDir(execId) / "pid"; }
  std::filesystem::path exitFile(const std::string& execId) const { return processDir(execId) / "exit"; }
  std::filesystem::path exitPublishedFile(const std::string& execId) const {
    return processDir(execId) / "exit-published";
  }
  std::filesystem::path processSpec(const std::string& execId) const { return processDir(execId) / "process.json"; }
};

}  // namespace tenon::runtime_runc
