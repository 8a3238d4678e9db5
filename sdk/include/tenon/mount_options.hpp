// Mount options as mount(2) takes them, and its one-page limit. mount(2)
// copies at most one page of option data and cuts the rest off without an
// error, so a long overlay `lowerdir=` would silently lose layers. Two rules
// follow, both containerd's (mount/mount_linux.go, compactLowerdirOption):
//  - a producer (a snapshotter) hands out absolute paths, since a Mount is a
//    value anyone can pass to mount(8), and refuses a chain whose options
//    cannot fit even when compacted (mountableDataLength);
//  - a consumer whose overlay data exceeds the page compacts it: the lower
//    directories' common parent becomes the mounting thread's working
//    directory and each lowerdir is written relative to it (compactLowerdir;
//    tenon/mounter.hpp does the mounting).
// Pure, header-only functions: C++20 standard library and POSIX only.
#ifndef TENON_MOUNT_OPTIONS_HPP
#define TENON_MOUNT_OPTIONS_HPP

#include <unistd.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tenon {

namespace detail {

inline constexpr std::string_view kLowerdirOption = "lowerdir=";

inline std::vector<std::string> splitOn(std::string_view s, char sep) {
  std::vector<std::string> out;
  for (size_t start = 0;;) {
    size_t end = s.find(sep, start);
    out.emplace_back(s.substr(start, end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

inline std::string joinWith(const std::vector<std::string>& parts, char sep) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out.push_back(sep);
    out += p;
  }
  return out;
}

// The directory (ending in '/') every path lies under, "" when only "/" is common.
inline std::string commonParent(const std::vector<std::string>& paths) {
  std::string_view prefix = paths.front();
  for (const std::string& p : paths) {
    size_t n = 0;
    while (n < prefix.size() && n < p.size() && prefix[n] == p[n]) ++n;
    prefix = prefix.substr(0, n);
  }
  size_t slash = prefix.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return "";
  return std::string(prefix.substr(0, slash + 1));
}

}  // namespace detail

// The longest option string mount(2) takes whole: one page minus its NUL.
inline size_t mountDataLimit() { return static_cast<size_t>(::sysconf(_SC_PAGESIZE)) - 1; }

// The option data mount(2) receives: the options joined by ','.
inline std::string mountData(const std::vector<std::string>& options) { return detail::joinWith(options, ','); }

// Overlay options rewritten with `lowerdir=` entries relative to `chdir`, or
// unchanged (chdir "") when the lowerdirs have no common parent but "/" or
// there is at most one of them.
struct CompactOptions {
  std::string chdir;
  std::vector<std::string> options;
};

inline CompactOptions compactLowerdir(const std::vector<std::string>& options) {
  CompactOptions out{"", options};
  for (std::string& option : out.options) {
    if (!option.starts_with(detail::kLowerdirOption)) continue;
    std::vector<std::string> dirs =
        detail::splitOn(std::string_view(option).substr(detail::kLowerdirOption.size()), ':');
    if (dirs.size() < 2) return {"", options};
    std::string parent = detail::commonParent(dirs);
    if (parent.empty()) return {"", options};
    for (std::string& dir : dirs) dir.erase(0, parent.size());
    option = std::string(detail::kLowerdirOption) + detail::joinWith(dirs, ':');
    out.chdir = parent;
    return out;
  }
  return out;
}

// The length mount(2) will see for `options`: as they are when that fits,
// compacted otherwise.
inline size_t mountableDataLength(const std::vector<std::string>& options) {
  size_t full = mountData(options).size();
  if (full <= mountDataLimit()) return full;
  return mountData(compactLowerdir(options).options).size();
}

}  // namespace tenon

#endif  // TENON_MOUNT_OPTIONS_HPP
