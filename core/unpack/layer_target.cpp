#include "unpack/layer_target.hpp"

#include <tenon/error.hpp>

namespace tenon::unpack {

namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    std::size_t end = text.find(separator, start);
    if (end > start) parts.push_back(text.substr(start, end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

std::string optionValue(const Mount& mount, const std::string& prefix) {
  for (const std::string& option : mount.options)
    if (option.starts_with(prefix)) return option.substr(prefix.size());
  return "";
}

LayerTarget overlayTarget(const Mount& mount) {
  std::string upper = optionValue(mount, "upperdir=");
  if (upper.empty())
    fail(TENON_FAILED_PRECONDITION, "the snapshot's overlay mount has no upperdir=: it is read-only, not active");
  return {upper, WhiteoutStyle::overlay, split(optionValue(mount, "lowerdir="), ':')};
}

// aufs's br: option lists branches "path=perm" joined by ':', the writable one
// first (as containerd's aufs snapshotter writes it: br:<upper>=rw:<lower>=ro+wh...).
LayerTarget aufsTarget(const Mount& mount) {
  LayerTarget target{"", WhiteoutStyle::aufs, {}};
  for (const std::string& branch : split(optionValue(mount, "br:"), ':')) {
    std::size_t equals = branch.rfind('=');
    bool hasPerm = equals != std::string::npos && branch.find('/', equals) == std::string::npos;
    std::string path = hasPerm ? branch.substr(0, equals) : branch;
    if (target.root.empty()) {
      if (hasPerm && branch.substr(equals + 1) != "rw")
        fail(TENON_FAILED_PRECONDITION, "the snapshot's first aufs branch " + path + " is not rw");
      target.root = path;
    } else {
      target.lowers.push_back(path);
    }
  }
  if (target.root.empty()) fail(TENON_FAILED_PRECONDITION, "the snapshot's aufs mount has no br: branches");
  return target;
}

}  // namespace

LayerTarget layerTarget(const std::vector<Mount>& mounts, bool hasParent) {
  if (mounts.size() != 1)
    fail(TENON_NOT_IMPLEMENTED, "unpack writes into one mount; the snapshot has " + std::to_string(mounts.size()));
  const Mount& mount = mounts.front();
  if (mount.type == "overlay") return overlayTarget(mount);
  if (mount.type == "aufs") return aufsTarget(mount);
  if (mount.type == "bind" || mount.type == "rbind") {
    if (hasParent)
      fail(TENON_NOT_IMPLEMENTED, "unpack cannot apply a layer on a parent through a bind mount (a copying "
                                  "snapshotter): deletions would need the parent's files removed");
    for (const std::string& option : mount.options)
      if (option == "ro") fail(TENON_FAILED_PRECONDITION, "the snapshot's bind mount is read-only, not active");
    return {mount.source, WhiteoutStyle::none, {}};
  }
  fail(TENON_NOT_IMPLEMENTED, "unpack cannot write into a mount of type \"" + mount.type + "\"");
}

}  // namespace tenon::unpack
