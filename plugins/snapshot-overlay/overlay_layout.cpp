#include "overlay_layout.hpp"

#include <string>
#include <tenon/error.hpp>
#include <tenon/mount_options.hpp>

namespace tenon::snapshot_overlay {

// overlay splits its options at ',' and its lowerdir at ':' (and treats '\'
// as an escape): a root holding one would be cut in the wrong place.
OverlayLayout::OverlayLayout(std::filesystem::path root) : SnapshotLayout(std::move(root), "overlay", ",:\\") {}

std::vector<Mount> OverlayLayout::stack(std::optional<uint64_t> upper, const std::vector<uint64_t>& parentIds) const {
  if (parentIds.size() > kMaxLowerLayers)
    fail(TENON_RESOURCE_EXHAUSTED, "the snapshot has " + std::to_string(parentIds.size()) +
                                       " parent layers; overlay stacks at most " + std::to_string(kMaxLowerLayers));

  // index=off as containerd: the inode index's default depends on how each
  // host's kernel was built (CONFIG_OVERLAY_FS_INDEX); pinning it mounts a
  // snapshot the same way on every host.
  std::vector<std::string> options{"index=off"};
  if (upper) {
    options.push_back("workdir=" + work(*upper).string());
    options.push_back("upperdir=" + fs(*upper).string());
  }
  std::string lowerdir = "lowerdir=";
  for (size_t i = 0; i < parentIds.size(); ++i) lowerdir += (i ? ":" : "") + fs(parentIds[i]).string();
  options.push_back(std::move(lowerdir));

  if (size_t length = mountableDataLength(options); length > mountDataLimit())
    fail(TENON_RESOURCE_EXHAUSTED,
         "the overlay options of a " + std::to_string(parentIds.size()) + "-layer chain take " +
             std::to_string(length) + " bytes even with lowerdirs relative to " + snapshots().string() +
             "; mount(2) takes " + std::to_string(mountDataLimit()));
  return {Mount{"overlay", "overlay", "", std::move(options)}};
}

}  // namespace tenon::snapshot_overlay
