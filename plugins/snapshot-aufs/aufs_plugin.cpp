// The aufs snapshotter plugin: snapshot-storage's snapshotter with aufs's
// layout, offered to the core as the snapshotter service "aufs". Its init
// fails with "aufs is not supported by this kernel" where the kernel has no
// aufs (mainline kernels do not; Debian's aufs-dkms and some distributions'
// kernels do), and the daemon runs on without it.
#include <tenon/plugin.hpp>

#include "aufs_layout.hpp"
#include "snapshot-storage/snapshotter_plugin.hpp"

namespace tenon::snapshot_aufs {

class AufsPlugin : public snapshot_storage::SnapshotterPlugin {
 public:
  explicit AufsPlugin(Host host) : SnapshotterPlugin(host, "aufs", "aufs", snapshot_storage::makeLayout<AufsLayout>) {}
};

}  // namespace tenon::snapshot_aufs

TENON_DEFINE_PLUGIN(tenon::snapshot_aufs::AufsPlugin, TENON_PLUGIN_SNAPSHOTTER, "aufs", SNAPSHOT_AUFS_VERSION)
