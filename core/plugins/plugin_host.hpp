// The host table one plugin receives in `init`: its config, its directories,
// logging, service registration and lookup, and event publishing. One
// PluginHost per plugin, so that every call knows who is calling.
#pragma once

#include <tenon/plugin.h>

#include <atomic>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "log/logger.hpp"
#include "plugins/service_registry.hpp"

namespace tenon::plugins {

// Where plugin events go: (namespace, topic, JSON payload).
using EventPublisher =
    std::function<void(const std::string& ns, const std::string& topic, const std::string& payloadJson)>;

class PluginHost {
 public:
  struct Options {
    std::string pluginName;  // "<type>.<id>"
    std::string configToml;
    std::string root;
    std::string state;
    std::set<std::string> requiredPlugins;  // plugins whose services it may look up
  };

  PluginHost(Options options, ServiceRegistry& registry, log::Logger& logger, EventPublisher publisher);
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  const tenon_host* table() const { return &host_; }
  // Registration is only allowed while `init` runs.
  void endInit() { initializing_ = false; }
  // "<type>/<name>" of each service the plugin registered.
  const std::vector<std::string>& services() const { return services_; }

 private:
  static void log(void* self, tenon_log_level level, const char* message);
  static tenon_status registerService(void* self, tenon_plugin_type type, const char* name, const void* table,
                                      void* serviceSelf, tenon_error* err);
  static tenon_status lookupService(void* self, tenon_plugin_type type, const char* name, const void** table,
                                    void** serviceSelf, tenon_error* err);
  static tenon_status publishEvent(void* self, const char* ns, const char* topic, const char* payloadJson,
                                   tenon_error* err);

  Options options_;
  ServiceRegistry& registry_;
  log::Logger& logger_;
  EventPublisher publisher_;
  std::atomic<bool> initializing_{true};
  std::vector<std::string> services_;
  tenon_host host_;
};

}  // namespace tenon::plugins
