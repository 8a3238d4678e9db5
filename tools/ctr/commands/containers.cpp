// `ctr containers` (alias `container`, `c`): the namespace's container records — list,
// inspect, label, remove. Creating one belongs with the OCI spec generator (`ctr run`).
#include <fmt/core.h>

#include <memory>
#include <string>
#include <vector>

#include "../commands.hpp"
#include "../json_output.hpp"
#include "../labels.hpp"
#include "../list_format.hpp"
#include "containers_commands.hpp"

namespace tenon::ctr {
namespace {

struct ListArgs {
  ListFormat format;
  std::vector<std::string> filters;
};

struct LabelArgs {
  std::string id;
  std::vector<std::string> labels;
};

// JSON text from the daemon as a JSON value, so that it prints as an object; text that
// does not parse stays a string rather than being lost; "" is null.
Json embeddedJson(const std::string& text) {
  if (text.empty()) return nullptr;
  Json parsed = Json::parse(text, nullptr, false);
  return parsed.is_discarded() ? Json(text) : parsed;
}

// Everything but the spec, which only `info` prints.
Json containerJson(rpc::Container::Reader c) {
  return {{"id", toString(c.getId())},
          {"image", toString(c.getImage())},
          {"runtime",
           {{"name", toString(c.getRuntime().getName())},
            {"options", embeddedJson(toString(c.getRuntime().getOptions()))}}},
          {"snapshotter", toString(c.getSnapshotter())},
          {"snapshotKey", toString(c.getSnapshotKey())},
          {"labels", toJson(fromRpc(c.getLabels()))},
          {"createdAt", rfc3339(c.getCreatedAt())},
          {"updatedAt", rfc3339(c.getUpdatedAt())}};
}

// Like containerd's: CONTAINER IMAGE RUNTIME, "-" for a container made from no image.
void listContainers(const GlobalOptions& options, const ListArgs& args) {
  Connection connection(options);
  auto request = containersService(connection).listRequest();
  connection.setContext(request.initCtx());
  auto filters = request.initFilters(args.filters.size());
  for (unsigned i = 0; i < args.filters.size(); ++i) filters.set(i, args.filters[i]);
  auto response = connection.wait(request.send());
  ListOutput output(args.format, {"CONTAINER", "IMAGE", "RUNTIME"});
  for (auto c : response.getContainers()) {
    std::string id = toString(c.getId()), image = toString(c.getImage());
    output.add(id, containerJson(c), {id, image.empty() ? "-" : image, toString(c.getRuntime().getName())});
  }
  output.print();
}

void printInfo(const GlobalOptions& options, const std::string& id) {
  Connection connection(options);
  auto request = containersService(connection).getRequest();
  connection.setContext(request.initCtx());
  request.setId(id);
  auto response = connection.wait(request.send());
  Json json = containerJson(response.getContainer());
  json["spec"] = embeddedJson(toString(response.getContainer().getSpec()));
  printJson(json);
}

// KEY=VALUE sets, KEY= removes, other labels stay; prints the labels the container ends up with.
void labelContainer(const GlobalOptions& options, const LabelArgs& args) {
  Connection connection(options);
  rpc::Containers::Client service = containersService(connection);
  auto read = [&] {
    auto get = service.getRequest();
    connection.setContext(get.initCtx());
    get.setId(args.id);
    return fromRpc(connection.wait(get.send()).getContainer().getLabels());
  };
  auto write = [&](const Labels& wanted) {
    auto update = service.updateRequest();
    connection.setContext(update.initCtx());
    auto container = update.initContainer();
    container.setId(args.id);
    toRpc(wanted, container.initLabels(wanted.size()));
    update.initFields(1).set(0, "labels");
    return fromRpc(connection.wait(update.send()).getContainer().getLabels());
  };
  runLabelCommand(args.labels, read, write);
}

void addList(CLI::App& containers, const GlobalOptions& options) {
  auto args = std::make_shared<ListArgs>();  // shared with the callback, which outlives this scope
  CLI::App* ls = containers.add_subcommand("ls", "List the namespace's containers");
  ls->alias("list");
  addListFormatOptions(*ls, args->format, "Print only the ids, one per line");
  ls->add_option("filters", args->filters,
                 "Filters like id==ID, image==NAME, runtime.name==runc, snapshotter==overlayfs, "
                 "snapshotKey==KEY, labels.KEY==VALUE; any may match");
  ls->callback([&options, args] { listContainers(options, *args); });
}

void addInfo(CLI::App& containers, const GlobalOptions& options) {
  auto id = std::make_shared<std::string>();
  CLI::App* info = containers.add_subcommand("info", "Print a container's record as JSON, its OCI spec included");
  info->add_option("id", *id, "The container's id")->required();
  info->callback([&options, id] { printInfo(options, *id); });
}

void addLabel(CLI::App& containers, const GlobalOptions& options) {
  auto args = std::make_shared<LabelArgs>();
  CLI::App* label = containers.add_subcommand("label", "Set (KEY=VALUE) or remove (KEY=) labels of a container");
  label->add_option("id", args->id, "The container's id")->required();
  label->add_option("labels", args->labels, "Labels as KEY=VALUE, or KEY= to remove one");
  label->callback([&options, args] { labelContainer(options, *args); });
}

}  // namespace

void addContainersCommand(CLI::App& ctr, const GlobalOptions& options) {
  CLI::App* containers = ctr.add_subcommand("containers", "Manage containers: the records of what to run");
  containers->alias("container");
  containers->alias("c");
  printHelpWhenRunAlone(*containers);
  addContainersCreateCommand(*containers, options);
  addList(*containers, options);
  addInfo(*containers, options);
  addLabel(*containers, options);
  addContainersRemoveCommand(*containers, options);
}

}  // namespace tenon::ctr
