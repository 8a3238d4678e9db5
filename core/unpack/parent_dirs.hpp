// The directories a layer's entries go into, opened below the root (see
// rooted_fs.hpp) and created when the tar leaves them out, with the
// attributes the same directory has in the layers below. The last one opened
// is kept, since a tar lists a directory's entries together.
#pragma once

#include <string>
#include <tenon/unique_fd.hpp>

#include "unpack/lower_layers.hpp"

namespace tenon::unpack {

class ParentDirs {
 public:
  ParentDirs(int rootFd, const LowerLayers& lowers) : rootFd_(rootFd), lowers_(lowers) {}

  // The directory `dir` ("" for the root), created with its missing parents
  // if needed; valid until the next call or forgetBelow(). Throws invalid_argument
  // naming `entry` when the way passes through a symlink (here or in a layer
  // below) or a non-directory.
  int open(const std::string& dir, const std::string& entry);
  // Drops the kept directory if it is `removed` or below it: call after
  // removing a directory (the kept fd would lead into the removed tree).
  void forgetBelow(const std::string& removed);

 private:
  int keep(const std::string& dir, UniqueFd fd);
  UniqueFd create(const std::string& dir, const std::string& entry);
  UniqueFd makeDirectory(int parentFd, const std::string& name, const std::string& path, const std::string& entry);

  int rootFd_;
  const LowerLayers& lowers_;
  std::string keptPath_;
  UniqueFd kept_;
};

}  // namespace tenon::unpack
