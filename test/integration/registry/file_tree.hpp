// Root filesystems compared file for file: what lstat and readlink say of each
// path under a directory (type, permission bits, owner, content, link target)
// and which paths are hard links of one another.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>

namespace tenon::test {

struct TreeNode {
  char type = '?'; // 'f' file, 'd' directory, 'l' symlink, 'o' anything else
  mode_t mode = 0; // permission bits, setuid, setgid and sticky included
  uid_t uid = 0;
  gid_t gid = 0;
  std::string content;       // a file's bytes
  std::string target;        // a symlink's target
  std::string hardLinkGroup; // the first path (in sorted order) on the same
                             // inode; "" when it has no other
  bool operator==(const TreeNode &) const = default;
  std::string describe() const;
};

// Every path under `root` (relative, root itself left out), sorted.
std::map<std::string, TreeNode> fileTree(const std::string &root);

} // namespace tenon::test
