#include "unpack/entry_path.hpp"

#include <vector>

#include "metadata/validation.hpp"
#include "unpack/entry_errors.hpp"

namespace tenon::unpack {

std::string cleanLayerPath(std::string_view name, std::string_view entry) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0; start <= name.size();) {
    std::size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    std::string_view segment = name.substr(start, end - start);
    if (segment == "..") {
      if (parts.empty()) {
        std::string subject = entry.empty() ? "its name" : "its hard link target " + metadata::quote(name);
        refuseEntry(std::string(entry.empty() ? name : entry), subject + " climbs out of the layer's root with \"..\"");
      }
      parts.pop_back();
    } else if (!segment.empty() && segment != ".") {
      parts.push_back(segment);
    }
    start = end + 1;
  }
  std::string out;
  for (std::string_view part : parts) {
    if (!out.empty()) out += '/';
    out += part;
  }
  return out;
}

std::pair<std::string, std::string> splitParent(const std::string& path) {
  std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return {"", path};
  return {path.substr(0, slash), path.substr(slash + 1)};
}

}  // namespace tenon::unpack
