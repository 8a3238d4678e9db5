// Opens a plugin's shared object with Boost.DLL and checks its descriptor
// against this core's ABI before anything else of it is used.
#pragma once

#include <tenon/plugin.h>

#include <boost/dll/shared_library.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace tenon::plugins {

// A validated plugin library; the descriptor's strings are copied out, so
// they outlive the library.
struct OpenedPlugin {
  boost::dll::shared_library library;
  const tenon_plugin_descriptor* descriptor = nullptr;
  std::string type;  // "runtime", "snapshotter", ...
  std::string id;
  std::string version;
  std::vector<std::string> requirements;
};

// Loads `path` (RTLD_NOW, so missing symbols show up here, not later) and
// validates it: entry symbol, ABI version, descriptor size, type, id,
// requirements, init. Throws tenon::Error with a message for the operator.
OpenedPlugin openPlugin(const std::filesystem::path& path);

// Whether `id` is a valid plugin id: [a-z0-9][a-z0-9_.-]*, at most 64 bytes.
bool isValidPluginId(std::string_view id);

}  // namespace tenon::plugins
