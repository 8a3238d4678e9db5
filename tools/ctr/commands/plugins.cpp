// `ctr plugins ls`: which plugins tenond found and how each fared, as a table (the default),
// as key/value blocks (--detailed), as type.id lines (--quiet) or as JSON (--format json).
#include <fmt/core.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "../commands.hpp"
#include "../connection.hpp"
#include "../list_format.hpp"
#include "introspection.capnp.h"

namespace tenon::ctr {
namespace {

// A plugin as the printers need it, copied out of the RPC response once.
struct Plugin {
  std::string type, id, path, state, error, version;
  std::vector<std::string> requirements, services;
};

struct ListOptions {
  ListFormat format;
  bool detailed = false;
};

std::string stateName(rpc::PluginState state) {
  switch (state) {
    case rpc::PluginState::LOADED: return "loaded";
    case rpc::PluginState::FAILED: return "failed";
    case rpc::PluginState::DISABLED: return "disabled";
  }
  // States are only appended to the schema; a newer daemon may send one we do not know.
  return fmt::format("unknown({})", static_cast<unsigned>(state));
}

std::vector<std::string> toStrings(capnp::List<capnp::Text>::Reader list) {
  std::vector<std::string> strings;
  for (auto text : list) strings.push_back(toString(text));
  return strings;
}

std::vector<Plugin> fetchPlugins(const GlobalOptions& options) {
  Connection connection(options);
  auto request = connection.tenon().introspectionRequest().send().getService().pluginsRequest();
  connection.setContext(request.initCtx());
  auto response = connection.wait(request.send());
  std::vector<Plugin> plugins;
  for (auto info : response.getPlugins()) {
    plugins.push_back({toString(info.getType()), toString(info.getId()), toString(info.getPath()),
                       stateName(info.getState()), toString(info.getError()), toString(info.getVersion()),
                       toStrings(info.getRequirements()), toStrings(info.getServices())});
  }
  return plugins;
}

// One block per plugin, like `ctr plugins ls --detailed` of containerd: paths and lists are
// too long for a table.
void printDetailed(const std::vector<Plugin>& plugins) {
  auto field = [](std::string_view label, std::string value) {
    // A multi-line value (an error, say) keeps its lines under the first one.
    for (size_t at = value.find('\n'); at != std::string::npos; at = value.find('\n', at + 11))
      value.replace(at, 1, "\n          ");
    fmt::print("{:<10}{}\n", label, value.empty() ? "-" : value);
  };
  auto listField = [&field](std::string_view label, const std::vector<std::string>& values) {
    if (values.empty()) return field(label, "");
    for (size_t i = 0; i < values.size(); ++i) field(i == 0 ? label : "", values[i]);
  };
  for (size_t i = 0; i < plugins.size(); ++i) {
    const Plugin& plugin = plugins[i];
    if (i > 0) fmt::print("\n");
    field("Type:", plugin.type);
    field("ID:", plugin.id);
    field("State:", plugin.state);
    field("Version:", plugin.version);
    field("Path:", plugin.path);
    listField("Requires:", plugin.requirements);
    listField("Services:", plugin.services);
    if (!plugin.error.empty()) field("Error:", plugin.error);
  }
}

// The table, --quiet and --format json.
void printList(const std::vector<Plugin>& plugins, const ListFormat& format) {
  ListOutput output(format, {"TYPE", "ID", "STATE", "ERROR"});
  for (const auto& plugin : plugins) {
    output.add(plugin.type + "." + plugin.id,
               {{"type", plugin.type},
                {"id", plugin.id},
                {"path", plugin.path},
                {"requirements", plugin.requirements},
                {"state", plugin.state},
                {"error", plugin.error},
                {"version", plugin.version},
                {"services", plugin.services}},
               {plugin.type, plugin.id, plugin.state, plugin.error});
  }
  output.print();
}

void listPlugins(const GlobalOptions& options, const ListOptions& list) {
  std::vector<Plugin> plugins = fetchPlugins(options);
  if (list.detailed && list.format.format != "json")
    printDetailed(plugins);
  else
    printList(plugins, list.format);
}

}  // namespace

void addPluginsCommand(CLI::App& ctr, const GlobalOptions& options) {
  CLI::App* plugins = ctr.add_subcommand("plugins", "Inspect the daemon's plugins");
  plugins->alias("plugin");
  printHelpWhenRunAlone(*plugins);

  auto list = std::make_shared<ListOptions>();  // shared with the callback, which outlives this scope
  CLI::App* ls = plugins->add_subcommand("ls", "List plugins and their state (loaded, failed, disabled)");
  ls->alias("list");
  CLI::Option* quiet = addListFormatOptions(*ls, list->format, "Print only type.id, one per line");
  CLI::Option* detailed = ls->add_flag("-d,--detailed", list->detailed,
                                       "Also print each plugin's path, version, requirements and services");
  detailed->excludes(quiet);
  ls->callback([&options, list] { listPlugins(options, *list); });
}

}  // namespace tenon::ctr
