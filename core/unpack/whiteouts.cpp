#include "unpack/whiteouts.hpp"

#include <string_view>

#include "metadata/validation.hpp"
#include "unpack/entry_errors.hpp"

namespace tenon::unpack {

WhiteoutName classifyWhiteout(const std::string& base, const std::string& entry) {
  std::string_view name = base;
  if (!name.starts_with(kWhiteoutPrefix)) return {};
  if (name == kOpaqueMarker) return {WhiteoutName::opaque, ""};
  if (name.starts_with(std::string(kWhiteoutPrefix) + kWhiteoutPrefix)) return {WhiteoutName::aufsMeta, ""};
  std::string target(name.substr(std::string_view(kWhiteoutPrefix).size()));
  if (target.empty() || target == "." || target == "..")
    refuseEntry(entry, "invalid whiteout " + metadata::quote(base) + " (it deletes no name of its directory)");
  return {WhiteoutName::deletion, target};
}

}  // namespace tenon::unpack
