#include "overlay_layout.hpp"

#include <tenon/error.hpp>

#include "overlay_options.hpp"

namespace tenon::snapshot_overlay {

using snapshot_storage::Kind;

namespace {

// overlay splits its options at ',' and its lowerdir at ':' (and treats '\'
// as an escape): a root holding one would be cut in the wrong place.
void checkRootIsMountable(const std::filesystem::path& root) {
  if (root.string().find_first_of(",:\\") != std::string::npos)
    fail(TENON_INVALID_ARGUMENT,
         "the overlay snapshotter's root " + root.string() + " holds ',', ':' or '\\', which overlay options cannot carry");
}

Mount bind(const std::filesystem::path& source, const char* access) {
  return Mount{"bind", source.string(), "", {"rbind", access}};
}

}  // namespace

OverlayLayout::OverlayLayout(std::filesystem::path root) : root_(std::move(root)) { checkRootIsMountable(root_); }

std::vector<Mount> OverlayLayout::mounts(Kind kind, uint64_t id, const std::vector<uint64_t>& parentIds) const {
  if (kind == Kind::committed)
    fail(TENON_FAILED_PRECONDITION, "a committed snapshot is not mounted: prepare or view a child of it");
  if (parentIds.empty()) return {bind(fs(id), kind == Kind::active ? "rw" : "ro")};
  if (kind == Kind::view && parentIds.size() == 1) return {bind(fs(parentIds.front()), "ro")};
  if (parentIds.size() > kMaxLowerLayers)
    fail(TENON_RESOURCE_EXHAUSTED, "the snapshot has " + std::to_string(parentIds.size()) +
                                       " parent layers; overlay stacks at most " + std::to_string(kMaxLowerLayers));

  // index=off as containerd: the inode index's default depends on how each
  // host's kernel was built (CONFIG_OVERLAY_FS_INDEX); pinning it mounts a
  // snapshot the same way on every host.
  std::vector<std::string> options{"index=off"};
  if (kind == Kind::active) {
    options.push_back("workdir=" + work(id).string());
    options.push_back("upperdir=" + fs(id).string());
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
