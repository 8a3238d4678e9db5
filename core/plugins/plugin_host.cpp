#include "plugins/plugin_host.hpp"

#include <tenon/error.hpp>

namespace tenon::plugins {

namespace {
log::Level toLevel(tenon_log_level level) {
  if (level <= TENON_LOG_ERROR) return log::Level::error;
  if (level >= TENON_LOG_TRACE) return log::Level::trace;
  return static_cast<log::Level>(level);
}

const char* require(const char* text, const char* what) {
  if (text == nullptr) fail(TENON_INVALID_ARGUMENT, std::string(what) + " is NULL");
  return text;
}
}  // namespace

PluginHost::PluginHost(Options options, ServiceRegistry& registry, log::Logger& logger, EventPublisher publisher)
    : options_(std::move(options)), registry_(registry), logger_(logger), publisher_(std::move(publisher)) {
  host_ = tenon_host{};
  host_.struct_size = sizeof(tenon_host);
  host_.abi_version = TENON_ABI_VERSION;
  host_.self = this;
  host_.plugin_name = options_.pluginName.c_str();
  host_.config_toml = options_.configToml.c_str();
  host_.root = options_.root.c_str();
  host_.state = options_.state.c_str();
  host_.log = &PluginHost::log;
  host_.register_service = &PluginHost::registerService;
  host_.lookup_service = &PluginHost::lookupService;
  host_.publish_event = &PluginHost::publishEvent;
}

void PluginHost::log(void* self, tenon_log_level level, const char* message) {
  auto* host = static_cast<PluginHost*>(self);
  try {
    host->logger_.log(toLevel(level), message ? message : "", {{"plugin", host->options_.pluginName}});
  } catch (...) {
    // A log line is never worth crashing a plugin call for.
  }
}

tenon_status PluginHost::registerService(void* self, tenon_plugin_type type, const char* name,
                                         const void* table, void* serviceSelf, tenon_error* err) {
  auto* host = static_cast<PluginHost*>(self);
  return guard(err, [&] {
    if (!host->initializing_)
      fail(TENON_FAILED_PRECONDITION, "services can only be registered during init");
    std::string serviceName = require(name, "service name");
    host->registry_.add({type, serviceName, table, serviceSelf, host->options_.pluginName});
    host->services_.push_back(pluginTypeName(type) + "/" + serviceName);
    host->logger_.debug("service registered",
                        {{"plugin", host->options_.pluginName}, {"service", host->services_.back()}});
  });
}

tenon_status PluginHost::lookupService(void* self, tenon_plugin_type type, const char* name, const void** table,
                                       void** serviceSelf, tenon_error* err) {
  auto* host = static_cast<PluginHost*>(self);
  return guard(err, [&] {
    if (table == nullptr || serviceSelf == nullptr) fail(TENON_INVALID_ARGUMENT, "output pointers are NULL");
    std::string serviceName = require(name, "service name");
    const ServiceEntry* entry = host->registry_.find(type, serviceName);
    if (entry == nullptr)
      fail(TENON_NOT_FOUND, pluginTypeName(type) + " service \"" + serviceName + "\" is not registered");
    // Requirements are what orders init; a lookup outside them could see a
    // service whose plugin is not initialised yet, or already finalised.
    if (entry->plugin != host->options_.pluginName && !host->options_.requiredPlugins.count(entry->plugin))
      fail(TENON_PERMISSION_DENIED, pluginTypeName(type) + " service \"" + serviceName + "\" belongs to " +
                                        entry->plugin + ", which " + host->options_.pluginName +
                                        " does not list in its requirements");
    *table = entry->table;
    *serviceSelf = entry->self;
  });
}

tenon_status PluginHost::publishEvent(void* self, const char* ns, const char* topic, const char* payloadJson,
                                      tenon_error* err) {
  auto* host = static_cast<PluginHost*>(self);
  return guard(err, [&] {
    std::string topicText = require(topic, "topic");
    if (topicText.empty() || topicText[0] != '/')
      fail(TENON_INVALID_ARGUMENT, "event topic \"" + topicText + "\" must start with '/'");
    host->publisher_(require(ns, "namespace"), topicText, payloadJson ? payloadJson : "{}");
  });
}

}  // namespace tenon::plugins
