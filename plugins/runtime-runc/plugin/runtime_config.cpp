#include "plugin/runtime_config.hpp"

#include <dlfcn.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <sstream>
#include <tenon/error.hpp>

#include "common/child_process.hpp"

namespace tenon::runtime_runc {

namespace stdfs = std::filesystem;

namespace {

constexpr const char* kShimName = "tenon-shim-runc";

std::string stringKey(const toml::table& table, const std::string& key, std::string fallback) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return fallback;
  if (!node->is_string() || node->as_string()->get().empty())
    fail(TENON_INVALID_ARGUMENT, "runtime.runc: `" + key + "` must be a non-empty string");
  return node->as_string()->get();
}

std::vector<std::string> stringList(const toml::table& table, const std::string& key) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return {};
  std::vector<std::string> out;
  const toml::array* array = node->as_array();
  if (array != nullptr) {
    for (const toml::node& item : *array) {
      if (!item.is_string()) break;
      out.push_back(item.as_string()->get());
    }
  }
  if (array == nullptr || out.size() != array->size())
    fail(TENON_INVALID_ARGUMENT, "runtime.runc: `" + key + "` must be an array of strings");
  return out;
}

// The directory this plugin's .so was loaded from.
stdfs::path pluginDirectory() {
  Dl_info info{};
  if (::dladdr(reinterpret_cast<void*>(&pluginDirectory), &info) == 0 || info.dli_fname == nullptr) return {};
  return stdfs::path(info.dli_fname).parent_path();
}

stdfs::path findShim() {
  for (stdfs::path candidate : {pluginDirectory() / kShimName, stdfs::path(TENON_SHIM_RUNC_DEFAULT_PATH),
                                stdfs::path(TENON_SHIM_RUNC_BUILD_PATH)}) {
    if (!candidate.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  fail(TENON_NOT_FOUND, std::string("runtime.runc: no ") + kShimName + " next to the plugin, at " +
                            TENON_SHIM_RUNC_DEFAULT_PATH + " or at " + TENON_SHIM_RUNC_BUILD_PATH +
                            "; set `shim` in the plugin's config");
}

toml::table parseTable(std::string_view text) {
  try {
    return toml::parse(text, std::string_view("runtime.runc config"));
  } catch (const toml::parse_error& e) {
    std::ostringstream message;
    message << "runtime.runc: " << e.description() << " at line " << e.source().begin.line;
    fail(TENON_INVALID_ARGUMENT, message.str());
  }
}

}  // namespace

RuntimeConfig parseRuntimeConfig(std::string_view text, const stdfs::path& stateDir) {
  toml::table table = parseTable(text);
  for (const auto& [key, value] : table) {
    std::string_view k = key.str();
    if (k != "binary" && k != "root" && k != "runtime_args" && k != "shim")
      fail(TENON_INVALID_ARGUMENT,
           "runtime.runc: unknown key `" + std::string(k) + "` (known: binary, root, runtime_args, shim)");
  }
  RuntimeConfig config;
  config.binary = resolveProgram(stringKey(table, "binary", "runc"));
  config.root = stringKey(table, "root", (stateDir / "runc").string());
  if (!config.root.is_absolute()) fail(TENON_INVALID_ARGUMENT, "runtime.runc: `root` must be an absolute path");
  config.runtimeArgs = stringList(table, "runtime_args");
  std::string shim = stringKey(table, "shim", "");
  config.shim = shim.empty() ? findShim() : stdfs::path(resolveProgram(shim));
  return config;
}

}  // namespace tenon::runtime_runc
