// Header-only C++ helper for plugin authors: write a class, get a plugin.
//
//   class MySnapshotter {
//    public:
//     explicit MySnapshotter(tenon::Host host) { host.info("ready"); ... }
//   };
//   TENON_DEFINE_PLUGIN(MySnapshotter, TENON_PLUGIN_SNAPSHOTTER, "mine", "1.0", "content.*")
//
// The class is constructed in `init` (a throw fails the plugin with its
// message) and destroyed in `fini`. Nothing here needs more than the C++20
// standard library, so an out-of-tree plugin depends on tenon-sdk alone.
#ifndef TENON_PLUGIN_HPP
#define TENON_PLUGIN_HPP

#include <string>
#include <string_view>
#include <utility>

#include "error.hpp"
#include "plugin.h"

namespace tenon {

// A typed service table and its `self`, as found through the host.
template <class Table>
struct ServiceRef {
  const Table* table = nullptr;
  void* self = nullptr;
};

// A thin, copyable view of the host table the core passed to `init`.
class Host {
 public:
  explicit Host(const tenon_host* host) : host_(host) {}

  std::string_view name() const { return host_->plugin_name; }
  std::string_view configToml() const { return host_->config_toml; }
  std::string_view root() const { return host_->root; }
  std::string_view state() const { return host_->state; }

  void log(tenon_log_level level, const std::string& message) const {
    host_->log(host_->self, level, message.c_str());
  }
  void error(const std::string& m) const { log(TENON_LOG_ERROR, m); }
  void warn(const std::string& m) const { log(TENON_LOG_WARN, m); }
  void info(const std::string& m) const { log(TENON_LOG_INFO, m); }
  void debug(const std::string& m) const { log(TENON_LOG_DEBUG, m); }

  // Registers `table` (which must outlive the plugin) as service `name` of `type`.
  template <class Table>
  void registerService(tenon_plugin_type type, const std::string& name, const Table* table,
                       void* self) const {
    tenon_error err;
    tenon_error_init(&err);
    check(host_->register_service(host_->self, type, name.c_str(), table, self, &err), err);
  }

  // Finds service `name` of `type` from a plugin this one requires; throws not_found.
  template <class Table>
  ServiceRef<Table> lookup(tenon_plugin_type type, const std::string& name) const {
    tenon_error err;
    tenon_error_init(&err);
    const void* table = nullptr;
    void* self = nullptr;
    check(host_->lookup_service(host_->self, type, name.c_str(), &table, &self, &err), err);
    return {static_cast<const Table*>(table), self};
  }

  // Publishes `payloadJson` (a JSON object) under `topic` in namespace `ns`.
  void publish(const std::string& ns, const std::string& topic, const std::string& payloadJson) const {
    tenon_error err;
    tenon_error_init(&err);
    check(host_->publish_event(host_->self, ns.c_str(), topic.c_str(), payloadJson.c_str(), &err), err);
  }

  const tenon_host* raw() const { return host_; }

 private:
  const tenon_host* host_;
};

// init/fini for a plugin class constructible from Host.
template <class Plugin>
struct PluginLifecycle {
  static tenon_status init(const tenon_host* host, void** self, tenon_error* err) noexcept {
    return guard(err, [&] { *self = new Plugin(Host(host)); });
  }
  static void fini(void* self) noexcept { delete static_cast<Plugin*>(self); }
};

}  // namespace tenon

// Defines the plugin's one exported entry symbol. The trailing arguments are
// its requirements ("<type>.<id>" or "<type>.*"), if any.
#define TENON_DEFINE_PLUGIN(PluginClass, plugin_type, plugin_id, plugin_version, ...)      \
  extern "C" TENON_PLUGIN_EXPORT const tenon_plugin_descriptor* tenon_plugin_entry(void) { \
    static const char* const requirements[] = {__VA_ARGS__ __VA_OPT__(, ) nullptr};        \
    static const tenon_plugin_descriptor descriptor = {                                    \
        TENON_ABI_VERSION,                                                                 \
        sizeof(tenon_plugin_descriptor),                                                   \
        plugin_type,                                                                       \
        plugin_id,                                                                         \
        requirements,                                                                      \
        &::tenon::PluginLifecycle<PluginClass>::init,                                      \
        &::tenon::PluginLifecycle<PluginClass>::fini,                                      \
        plugin_version};                                                                   \
    return &descriptor;                                                                    \
  }

#endif  // TENON_PLUGIN_HPP
