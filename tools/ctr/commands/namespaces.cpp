// `ctr namespaces`: create, list, label and remove the tenants every record belongs to.
#include <fmt/core.h>

#include <memory>
#include <string>
#include <vector>

#include "../commands.hpp"
#include "../connection.hpp"
#include "../remove_command.hpp"
#include "../json_output.hpp"
#include "../labels.hpp"
#include "../list_format.hpp"
#include "namespaces.capnp.h"

namespace tenon::ctr {
namespace {

// A name and KEY=VALUE arguments, as `create` and `label` take them.
struct NameAndLabels {
  std::string name;
  std::vector<std::string> labels;
};

rpc::Namespaces::Client namespacesService(Connection& connection) {
  return connection.tenon().namespacesRequest().send().getService();
}

void createNamespace(const GlobalOptions& options, const NameAndLabels& args) {
  Labels labels = parseLabels(args.labels);
  Connection connection(options);
  auto request = namespacesService(connection).createRequest();
  connection.setContext(request.initCtx());
  request.setName(args.name);
  toRpc(labels, request.initLabels(labels.size()));
  connection.wait(request.send());
}

void listNamespaces(const GlobalOptions& options, const ListFormat& format) {
  Connection connection(options);
  auto request = namespacesService(connection).listRequest();
  connection.setContext(request.initCtx());
  auto response = connection.wait(request.send());
  ListOutput output(format, {"NAME", "LABELS"});
  for (auto ns : response.getNamespaces()) {
    std::string name = toString(ns.getName());
    Labels labels = fromRpc(ns.getLabels());
    output.add(name, {{"name", name}, {"labels", toJson(labels)}}, {name, formatLabels(labels)});
  }
  output.print();
}

// Like containerd's: KEY=VALUE sets, KEY= removes, other labels stay. The schema only
// replaces labels, so the current ones are read first.
void labelNamespace(const GlobalOptions& options, const NameAndLabels& args) {
  Connection connection(options);
  rpc::Namespaces::Client service = namespacesService(connection);
  auto get = service.getRequest();
  connection.setContext(get.initCtx());
  get.setName(args.name);
  Labels labels = applyLabelArguments(fromRpc(connection.wait(get.send()).getNamespace().getLabels()), args.labels);
  auto set = service.setLabelsRequest();
  connection.setContext(set.initCtx());
  set.setName(args.name);
  toRpc(labels, set.initLabels(labels.size()));
  connection.wait(set.send());
}

void addCreate(CLI::App& namespaces, const GlobalOptions& options) {
  auto args = std::make_shared<NameAndLabels>();  // shared with the callback, which outlives this scope
  CLI::App* create = namespaces.add_subcommand("create", "Create a namespace");
  create->add_option("name", args->name, "The namespace's name")->required();
  create->add_option("labels", args->labels, "Labels as KEY=VALUE");
  create->callback([&options, args] { createNamespace(options, *args); });
}

void addList(CLI::App& namespaces, const GlobalOptions& options) {
  auto format = std::make_shared<ListFormat>();
  CLI::App* ls = namespaces.add_subcommand("ls", "List namespaces and their labels");
  ls->alias("list");
  addListFormatOptions(*ls, *format, "Print only the names, one per line");
  ls->callback([&options, format] { listNamespaces(options, *format); });
}

void addLabel(CLI::App& namespaces, const GlobalOptions& options) {
  auto args = std::make_shared<NameAndLabels>();
  CLI::App* label = namespaces.add_subcommand("label", "Set (KEY=VALUE) or remove (KEY=) labels of a namespace");
  label->add_option("name", args->name, "The namespace's name")->required();
  label->add_option("labels", args->labels, "Labels as KEY=VALUE, or KEY= to remove one");
  label->callback([&options, args] { labelNamespace(options, *args); });
}

}  // namespace

void addNamespacesCommand(CLI::App& ctr, const GlobalOptions& options) {
  CLI::App* namespaces = ctr.add_subcommand("namespaces", "Manage namespaces");
  namespaces->alias("namespace");
  namespaces->alias("ns");
  printHelpWhenRunAlone(*namespaces);
  addCreate(*namespaces, options);
  addList(*namespaces, options);
  addLabel(*namespaces, options);
  addRemoveCommand(*namespaces, options, "Remove empty namespaces; each one that fails is reported", "The namespaces to remove",
                   [](Connection& connection, const std::string& item) {
                     auto request = namespacesService(connection).deleteRequest();
                     connection.setContext(request.initCtx());
                     request.setName(item);
                     connection.wait(request.send());
                   });
}

}  // namespace tenon::ctr
