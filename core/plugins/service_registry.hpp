// The typed registry of services that plugins register: (type, name) -> a C
// vtable and its self pointer. Built by main, filled while plugins
// initialise, then read by the RPC services. Not a singleton.
#pragma once

#include <tenon/tenon.h>
#include <tenon/plugin.hpp>

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace tenon::plugins {

// Which plugin type a service table belongs to, and the size of its first
// (ABI 1) version: a plugin's table must be at least that big. Keep these
// sizes when fields are appended to a table.
template <class Table>
struct ServiceTraits;
template <>
struct ServiceTraits<tenon_runtime_service> {
  static constexpr tenon_plugin_type type = TENON_PLUGIN_RUNTIME;
  static constexpr size_t minSize = sizeof(tenon_runtime_service);
};
template <>
struct ServiceTraits<tenon_snapshotter_service> {
  static constexpr tenon_plugin_type type = TENON_PLUGIN_SNAPSHOTTER;
  static constexpr size_t minSize = sizeof(tenon_snapshotter_service);
};
template <>
struct ServiceTraits<tenon_content_service> {
  static constexpr tenon_plugin_type type = TENON_PLUGIN_CONTENT;
  static constexpr size_t minSize = sizeof(tenon_content_service);
};
template <>
struct ServiceTraits<tenon_metrics_service> {
  static constexpr tenon_plugin_type type = TENON_PLUGIN_METRICS;
  static constexpr size_t minSize = sizeof(tenon_metrics_service);
};

// "runtime", "snapshotter"...; "unknown" for numbers this core does not know.
std::string pluginTypeName(tenon_plugin_type type);
// The inverse; 0 when unknown.
tenon_plugin_type pluginTypeFromName(std::string_view name);
// The ABI 1 size of a service table of `type`; 0 when the type is unknown.
size_t minServiceTableSize(tenon_plugin_type type);

struct ServiceEntry {
  tenon_plugin_type type = 0;
  std::string name;
  const void* table = nullptr;
  void* self = nullptr;
  std::string plugin;  // "<type>.<id>" of the plugin that registered it
};

class ServiceRegistry {
 public:
  // Adds a service; already_exists when (type, name) is taken, invalid_argument
  // for an unknown type, a bad name or a table smaller than its ABI 1 size.
  void add(ServiceEntry entry);
  // Drops every service `plugin` registered (before its fini).
  void removePlugin(const std::string& plugin);
  // The entry, or nullptr.
  const ServiceEntry* find(tenon_plugin_type type, const std::string& name) const;
  // Every service of a type, in name order.
  std::vector<ServiceEntry> list(tenon_plugin_type type) const;

  // The typed service `name`; throws not_found naming what exists.
  template <class Table>
  ServiceRef<Table> get(const std::string& name) const {
    const ServiceEntry* entry = find(ServiceTraits<Table>::type, name);
    if (!entry) throwNotFound(ServiceTraits<Table>::type, name);
    return {static_cast<const Table*>(entry->table), entry->self};
  }

 private:
  [[noreturn]] void throwNotFound(tenon_plugin_type type, const std::string& name) const;

  mutable std::mutex mutex_;
  std::map<std::pair<tenon_plugin_type, std::string>, ServiceEntry> services_;
};

}  // namespace tenon::plugins
