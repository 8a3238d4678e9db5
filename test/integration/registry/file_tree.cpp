#include "file_tree.hpp"

#include <doctest/doctest.h>
#include <fmt/core.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <utility>
#include <vector>

#include "temp_dir.hpp"

namespace tenon::test {

namespace fs = std::filesystem;

std::string TreeNode::describe() const {
  return fmt::format(
      "{} {:04o} {}:{} {} bytes{}{}", type, mode, uid, gid, content.size(),
      target.empty() ? "" : " -> " + target,
      hardLinkGroup.empty() ? "" : " (hard link of " + hardLinkGroup + ")");
}

std::map<std::string, TreeNode> fileTree(const std::string &root) {
  std::map<std::string, TreeNode> tree;
  std::map<std::pair<dev_t, ino_t>, std::vector<std::string>> inodes;
  for (const auto &entry : fs::recursive_directory_iterator(root)) {
    struct stat st {};
    REQUIRE_MESSAGE(::lstat(entry.path().c_str(), &st) == 0, "lstat ",
                    entry.path().string());
    std::string path = fs::relative(entry.path(), root).string();
    TreeNode &node = tree[path];
    node.mode = st.st_mode & 07777;
    node.uid = st.st_uid;
    node.gid = st.st_gid;
    if (S_ISREG(st.st_mode)) {
      node.type = 'f';
      node.content = readFile(entry.path());
      inodes[{st.st_dev, st.st_ino}].push_back(path);
    } else if (S_ISDIR(st.st_mode)) {
      node.type = 'd';
    } else if (S_ISLNK(st.st_mode)) {
      node.type = 'l';
      node.target = fs::read_symlink(entry.path()).string();
    } else {
      node.type = 'o';
    }
  }
  for (auto &[inode, paths] : inodes) {
    if (paths.size() < 2)
      continue;
    std::sort(paths.begin(), paths.end());
    for (const std::string &path : paths)
      tree[path].hardLinkGroup = paths.front();
  }
  return tree;
}

} // namespace tenon::test
