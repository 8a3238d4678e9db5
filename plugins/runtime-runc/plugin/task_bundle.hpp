// Making and unmaking a task's bundle (common/bundle_layout.hpp): the
// directory, the spec the runtime reads, the root filesystem mounted into it.
#pragma once

#include <filesystem>
#include <string>

#include "common/bundle_layout.hpp"
#include "common/shim_protocol.hpp"

namespace tenon::runtime_runc {

// The client's OCI spec, parsed; invalid_argument when it is not a JSON
// object with a `process` object.
json parseSpec(const std::string& specJson);

// The spec's linux.cgroupsPath; when it has none, "/tenon/<ns>/<id>" is set
// in `spec`, so that every task has its own cgroup, known for metrics, and
// the same id in two namespaces never shares one.
std::string settleCgroupPath(json& spec, const std::string& ns, const std::string& id);

// `spec` as the runtime gets it: root.path is the mounted rootfs (an absolute
// path, whatever the client wrote) and process.terminal is what the io asks.
std::string runtimeSpec(json spec, const std::filesystem::path& rootfs, bool terminal);

// A bundle directory being created: removed (with what is mounted in it)
// when this object goes, unless keep() says the task was created.
class NewBundle {
 public:
  // Creates `bundle.dir` (0711: the container's processes need to reach the
  // rootfs beneath it); already_exists when it is there.
  explicit NewBundle(BundleLayout bundle);
  ~NewBundle();
  NewBundle(const NewBundle&) = delete;
  NewBundle& operator=(const NewBundle&) = delete;

  void keep() { kept_ = true; }

 private:
  BundleLayout bundle_;
  bool kept_ = false;
};

// Unmounts the rootfs, then deletes the bundle. Refuses (internal, naming the
// mount) to delete anything while something is still mounted under it, as
// deleting through a mount would destroy the snapshot's files.
void removeBundle(const BundleLayout& bundle);

}  // namespace tenon::runtime_runc
