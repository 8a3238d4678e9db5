// All the plugins of one daemon: finds their files, opens and validates them,
// orders them by their requirements, initialises them, and finalises them in
// reverse. A plugin that fails (and every plugin that requires it) is marked
// failed with a message; the others load regardless.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "log/logger.hpp"
#include "plugins/plugin_host.hpp"
#include "plugins/plugin_loader.hpp"
#include "plugins/service_registry.hpp"

namespace tenon::plugins {

enum class PluginState { loaded, failed, disabled };

// What introspection shows of one plugin.
struct PluginRecord {
  std::string path;
  std::string type = "unknown";
  std::string id;
  std::string version;
  std::vector<std::string> requirements;
  PluginState state = PluginState::failed;
  std::string error;
  std::vector<std::string> services;
  std::string name() const { return type + "." + id; }
};

// Where plugins come from and what they are given.
struct PluginSources {
  std::vector<std::string> dirs;   // every *.so in these, in name order
  std::vector<std::string> files;  // plus these
  std::map<std::string, config::PluginConfig> configs;  // by "<type>.<id>"
  std::string root;   // each plugin gets <root>/<type>.<id>, 0700
  std::string state;  // and <state>/<type>.<id>, 0700
};

class PluginSet {
 public:
  PluginSet(ServiceRegistry& registry, log::Logger& logger, EventPublisher publisher);
  ~PluginSet();
  PluginSet(const PluginSet&) = delete;
  PluginSet& operator=(const PluginSet&) = delete;

  // Loads and initialises everything `sources` names. Never throws for a
  // plugin's fault; each outcome is in plugins().
  void load(const PluginSources& sources);
  // Finalises loaded plugins in reverse init order and unloads them. Idempotent.
  void shutdown();

  // One record per plugin file or disabled plugin, in discovery order.
  const std::vector<PluginRecord>& plugins() const { return records_; }

 private:
  struct Candidate {
    size_t record;
    OpenedPlugin opened;
    const config::PluginConfig* config;
  };
  struct Live {
    size_t record;
    OpenedPlugin opened;
    std::unique_ptr<PluginHost> host;
    void* self;
  };

  std::vector<std::string> discover(const PluginSources& sources);
  std::vector<Candidate> open(const std::vector<std::string>& paths, const PluginSources& sources);
  void initialise(std::vector<Candidate>& candidates, const PluginSources& sources);
  void markFailed(size_t record, std::string error);

  ServiceRegistry& registry_;
  log::Logger& logger_;
  EventPublisher publisher_;
  std::vector<PluginRecord> records_;
  std::vector<Live> live_;  // in init order
};

}  // namespace tenon::plugins
