#include "snapshotter_plugin.hpp"

#include "kernel_support.hpp"
#include "snapshotter_service.hpp"

namespace tenon::snapshot_storage {

namespace {

// Checked first, so that a kernel without the filesystem gets no records or snapshots/ made.
std::unique_ptr<const SnapshotLayout> supportedLayout(const Host& host, std::string_view filesystem,
                                                      MakeLayout makeLayout) {
  requireKernelFilesystem(filesystem);
  return makeLayout(std::filesystem::path(host.root()));
}

}  // namespace

SnapshotterPlugin::SnapshotterPlugin(const Host& host, const std::string& service, std::string_view filesystem,
                                     MakeLayout makeLayout)
    : snapshotter_(supportedLayout(host, filesystem, makeLayout), [host](const std::string& m) { host.warn(m); }) {
  host.registerService(TENON_PLUGIN_SNAPSHOTTER, service, &snapshotterService(), &snapshotter_);
  host.info(service + " snapshots ready at " + std::string(host.root()));
}

}  // namespace tenon::snapshot_storage
