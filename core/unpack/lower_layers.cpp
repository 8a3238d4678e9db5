#include "unpack/lower_layers.hpp"

#include <fcntl.h>
#include <sys/sysmacros.h>

#include <cerrno>
#include <cstring>
#include <tenon/error.hpp>

#include "unpack/entry_path.hpp"
#include "unpack/rooted_fs.hpp"

namespace tenon::unpack {

LowerLayers::LowerLayers(const std::vector<std::string>& dirs, WhiteoutStyle style) : style_(style) {
  for (const std::string& dir : dirs) {
    UniqueFd fd(::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!fd) fail(TENON_INTERNAL, "cannot open the lower layer " + dir + ": " + std::strerror(errno));
    layers_.push_back(std::move(fd));
  }
}

bool LowerLayers::hasAufsWhiteout(int layerFd, const std::string& path) const {
  if (style_ != WhiteoutStyle::aufs) return false;
  auto [dir, base] = splitParent(path);
  UniqueFd marker(openBelow(layerFd, (dir.empty() ? "" : dir + "/") + ".wh." + base, O_PATH | O_NOFOLLOW));
  return static_cast<bool>(marker);
}

std::optional<struct stat> LowerLayers::find(const std::string& path) const {
  for (const UniqueFd& layer : layers_) {
    if (hasAufsWhiteout(layer.get(), path)) return std::nullopt;
    // Absent here, or behind a symlink (which the layer does not write through): look further down.
    UniqueFd fd(openBelow(layer.get(), path, O_PATH | O_NOFOLLOW));
    struct stat st {};
    if (!fd || ::fstat(fd.get(), &st) != 0) continue;
    bool overlayWhiteout = style_ == WhiteoutStyle::overlay && S_ISCHR(st.st_mode) && ::major(st.st_rdev) == 0 &&
                           ::minor(st.st_rdev) == 0;
    if (overlayWhiteout) return std::nullopt;
    return st;
  }
  return std::nullopt;
}

}  // namespace tenon::unpack
