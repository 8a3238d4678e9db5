#include "plugins/plugin_loader.hpp"

#include <tenon/error.hpp>

#include <dlfcn.h>

#include "plugins/plugin_order.hpp"
#include "plugins/service_registry.hpp"

namespace tenon::plugins {

bool isValidPluginId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  auto lowerOrDigit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!lowerOrDigit(id[0])) return false;
  for (char c : id)
    if (!lowerOrDigit(c) && c != '_' && c != '.' && c != '-') return false;
  return true;
}

namespace {

boost::dll::shared_library openLibrary(const std::filesystem::path& path) {
  boost::system::error_code ec;
  boost::dll::shared_library library(
      boost::dll::fs::path(path.string()),
      boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec) {
    // Boost clears dlerror(), which is what says which symbol, dependency or
    // ELF header is wrong: ask dlopen once more for the operator's sake.
    std::string why = ec.message();
    if (void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) {
      ::dlclose(handle);
    } else if (const char* text = ::dlerror()) {
      why = text;
    }
    fail(TENON_FAILED_PRECONDITION, "cannot load: " + why);
  }
  return library;
}

std::vector<std::string> readRequirements(const tenon_plugin_descriptor* d) {
  std::vector<std::string> out;
  for (const char* const* r = d->requirements; r && *r; ++r) {
    if (!parseRequirement(*r))
      fail(TENON_INVALID_ARGUMENT, std::string("invalid requirement \"") + *r +
                                       "\" (want \"<type>.<id>\" or \"<type>.*\")");
    out.emplace_back(*r);
    if (out.size() > 256) fail(TENON_INVALID_ARGUMENT, "more than 256 requirements (unterminated list?)");
  }
  return out;
}

}  // namespace

OpenedPlugin openPlugin(const std::filesystem::path& path) {
  OpenedPlugin p;
  p.library = openLibrary(path);
  if (!p.library.has(TENON_PLUGIN_ENTRY_SYMBOL))
    fail(TENON_FAILED_PRECONDITION, "not a tenon plugin: no symbol " TENON_PLUGIN_ENTRY_SYMBOL);
  auto entry = p.library.get<const tenon_plugin_descriptor*()>(TENON_PLUGIN_ENTRY_SYMBOL);
  const tenon_plugin_descriptor* d = entry();
  if (d == nullptr) fail(TENON_FAILED_PRECONDITION, TENON_PLUGIN_ENTRY_SYMBOL " returned no descriptor");
  if (d->abi_version != TENON_ABI_VERSION)
    fail(TENON_FAILED_PRECONDITION, "built for plugin ABI version " + std::to_string(d->abi_version) +
                                        ", this tenond supports version " + std::to_string(TENON_ABI_VERSION));
  if (d->struct_size < TENON_PLUGIN_DESCRIPTOR_MIN_SIZE)
    fail(TENON_FAILED_PRECONDITION, "descriptor is " + std::to_string(d->struct_size) + " bytes, ABI " +
                                        std::to_string(TENON_ABI_VERSION) + " needs at least " +
                                        std::to_string(TENON_PLUGIN_DESCRIPTOR_MIN_SIZE));
  p.type = pluginTypeName(d->type);
  if (p.type == "unknown") fail(TENON_FAILED_PRECONDITION, "unknown plugin type " + std::to_string(d->type));
  if (d->id == nullptr || !isValidPluginId(d->id))
    fail(TENON_FAILED_PRECONDITION, std::string("invalid plugin id \"") + (d->id ? d->id : "") +
                                        "\" (want [a-z0-9][a-z0-9_.-]*, at most 64 bytes)");
  p.id = d->id;
  if (d->init == nullptr) fail(TENON_FAILED_PRECONDITION, "descriptor has no init function");
  p.requirements = readRequirements(d);
  p.version = d->version ? d->version : "";
  p.descriptor = d;
  return p;
}

}  // namespace tenon::plugins
