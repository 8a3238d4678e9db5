#include "plugins/service_registry.hpp"

#include <array>
#include <cctype>

namespace tenon::plugins {

namespace {
constexpr std::array<std::string_view, 5> kTypeNames = {"unknown", "runtime", "snapshotter",
                                                         "content", "metrics"};

bool isValidServiceName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  return true;
}
}  // namespace

std::string pluginTypeName(tenon_plugin_type type) {
  return std::string(type < kTypeNames.size() ? kTypeNames[type] : kTypeNames[0]);
}

tenon_plugin_type pluginTypeFromName(std::string_view name) {
  for (size_t i = 1; i < kTypeNames.size(); ++i)
    if (kTypeNames[i] == name) return static_cast<tenon_plugin_type>(i);
  return 0;
}

size_t minServiceTableSize(tenon_plugin_type type) {
  switch (type) {
    case TENON_PLUGIN_RUNTIME: return ServiceTraits<tenon_runtime_service>::minSize;
    case TENON_PLUGIN_SNAPSHOTTER: return ServiceTraits<tenon_snapshotter_service>::minSize;
    case TENON_PLUGIN_CONTENT: return ServiceTraits<tenon_content_service>::minSize;
    case TENON_PLUGIN_METRICS: return ServiceTraits<tenon_metrics_service>::minSize;
    default: return 0;
  }
}

void ServiceRegistry::add(ServiceEntry entry) {
  size_t minSize = minServiceTableSize(entry.type);
  if (minSize == 0) fail(TENON_INVALID_ARGUMENT, "unknown service type " + std::to_string(entry.type));
  if (!isValidServiceName(entry.name))
    fail(TENON_INVALID_ARGUMENT, "invalid service name \"" + entry.name + "\" (want [A-Za-z0-9_.-]{1,64})");
  if (entry.table == nullptr) fail(TENON_INVALID_ARGUMENT, "service " + entry.name + " has no table");
  // Every table starts with its own struct_size.
  uint32_t size = *static_cast<const uint32_t*>(entry.table);
  if (size < minSize)
    fail(TENON_INVALID_ARGUMENT, "service " + entry.name + ": " + pluginTypeName(entry.type) + " table is " +
                                     std::to_string(size) + " bytes, ABI 1 needs at least " + std::to_string(minSize));
  std::lock_guard lock(mutex_);
  auto key = std::make_pair(entry.type, entry.name);
  if (auto it = services_.find(key); it != services_.end())
    fail(TENON_ALREADY_EXISTS, pluginTypeName(entry.type) + " service \"" + entry.name +
                                   "\" is already registered by " + it->second.plugin);
  services_.emplace(std::move(key), std::move(entry));
}

void ServiceRegistry::removePlugin(const std::string& plugin) {
  std::lock_guard lock(mutex_);
  std::erase_if(services_, [&](const auto& kv) { return kv.second.plugin == plugin; });
}

const ServiceEntry* ServiceRegistry::find(tenon_plugin_type type, const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto it = services_.find({type, name});
  return it == services_.end() ? nullptr : &it->second;
}

std::vector<ServiceEntry> ServiceRegistry::list(tenon_plugin_type type) const {
  std::lock_guard lock(mutex_);
  std::vector<ServiceEntry> out;
  for (const auto& [key, entry] : services_)
    if (key.first == type) out.push_back(entry);
  return out;
}

void ServiceRegistry::throwNotFound(tenon_plugin_type type, const std::string& name) const {
  std::string known;
  for (const ServiceEntry& e : list(type)) known += (known.empty() ? "" : ", ") + e.name;
  fail(TENON_NOT_FOUND, pluginTypeName(type) + " \"" + name + "\" not found" +
                            (known.empty() ? " (none is loaded)" : " (loaded: " + known + ")"));
}

}  // namespace tenon::plugins
