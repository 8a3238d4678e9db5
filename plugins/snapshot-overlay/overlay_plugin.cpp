// The overlayfs snapshotter plugin: snapshot-storage's snapshotter with
// overlay's layout, offered to the core as the snapshotter service "overlayfs".
#include <tenon/plugin.hpp>

#include "overlay_layout.hpp"
#include "snapshot-storage/snapshotter_plugin.hpp"

namespace tenon::snapshot_overlay {

class OverlayPlugin : public snapshot_storage::SnapshotterPlugin {
 public:
  explicit OverlayPlugin(Host host)
      : SnapshotterPlugin(host, "overlayfs", "overlay", snapshot_storage::makeLayout<OverlayLayout>) {}
};

}  // namespace tenon::snapshot_overlay

TENON_DEFINE_PLUGIN(tenon::snapshot_overlay::OverlayPlugin, TENON_PLUGIN_SNAPSHOTTER, "overlayfs",
                    SNAPSHOT_OVERLAY_VERSION)
