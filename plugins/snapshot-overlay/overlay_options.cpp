#include "overlay_options.hpp"

#include <unistd.h>

#include <string_view>

namespace tenon::snapshot_overlay {

namespace {

constexpr std::string_view kLowerdir = "lowerdir=";

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  for (size_t start = 0;;) {
    size_t end = s.find(sep, start);
    out.emplace_back(s.substr(start, end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

std::string join(const std::vector<std::string>& parts, char sep) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out.push_back(sep);
    out += p;
  }
  return out;
}

// The directory (ending in '/') every path lies under, "" when only "/" is common.
std::string commonParent(const std::vector<std::string>& paths) {
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

}  // namespace

size_t mountDataLimit() { return static_cast<size_t>(::sysconf(_SC_PAGESIZE)) - 1; }

std::string mountData(const std::vector<std::string>& options) { return join(options, ','); }

CompactOptions compactLowerdir(const std::vector<std::string>& options) {
  CompactOptions out{"", options};
  for (std::string& option : out.options) {
    if (!option.starts_with(kLowerdir)) continue;
    std::vector<std::string> dirs = split(std::string_view(option).substr(kLowerdir.size()), ':');
    if (dirs.size() < 2) return {"", options};
    std::string parent = commonParent(dirs);
    if (parent.empty()) return {"", options};
    for (std::string& dir : dirs) dir.erase(0, parent.size());
    option = std::string(kLowerdir) + join(dirs, ':');
    out.chdir = parent;
    return out;
  }
  return out;
}

size_t mountableDataLength(const std::vector<std::string>& options) {
  size_t full = mountData(options).size();
  if (full <= mountDataLimit()) return full;
  return mountData(compactLowerdir(options).options).size();
}

}  // namespace tenon::snapshot_overlay
