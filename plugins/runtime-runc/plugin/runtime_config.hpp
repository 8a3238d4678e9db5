// The plugin's TOML table, [plugins."runtime.runc"]:
//   binary       = "runc"            the OCI runtime: a name looked up in PATH, or a path
//                                    (crun, youki... anything with runc's command line)
//   root         = "<state>/runc"    the runtime's --root; each namespace gets <root>/<ns>
//   runtime_args = ["--systemd-cgroup"]  extra global options for every runtime command
//   shim         = "/path/to/tenon-shim-runc"  default: next to this plugin's .so, else the
//                                    installed one, else the build tree's
// Unknown keys are an error, so that a typo never goes unnoticed.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace tenon::runtime_runc {

struct RuntimeConfig {
  std::string binary;  // absolute, resolved at init
  std::filesystem::path root;
  std::vector<std::string> runtimeArgs;
  std::filesystem::path shim;
};

// Parses `toml` (the plugin's table as text); `stateDir` is the plugin's
// state directory. Throws invalid_argument naming the bad key, not_found for
// a runtime binary or shim that is not there.
RuntimeConfig parseRuntimeConfig(std::string_view toml, const std::filesystem::path& stateDir);

}  // namespace tenon::runtime_runc
