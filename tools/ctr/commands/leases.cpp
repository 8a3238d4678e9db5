// `ctr leases`: create, list and remove leases — what holds content and
// snapshots against garbage collection while a client builds something with
// them — and list, add and remove what one holds (`ctr leases resources`).
#include <fmt/core.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "../commands.hpp"
#include "../connection.hpp"
#include "../remove_command.hpp"
#include "../human.hpp"
#include "../json_output.hpp"
#include "../labels.hpp"
#include "../list_format.hpp"
#include "leases.capnp.h"

namespace tenon::ctr {
namespace {

// A resource as `ctr leases resources add|rm ID TYPE KEY` names it.
struct ResourceArgs {
  std::string id;
  std::string type;  // "content", "ingests" or "snapshots/<snapshotter>"
  std::string key;
};

struct CreateArgs {
  std::string id;
  double expiresInHours = 24;  // like containerd's ctr
  std::vector<std::string> labels;
};

rpc::Leases::Client leasesService(Connection& connection) {
  return connection.tenon().leasesRequest().send().getService();
}

int64_t hoursFromNow(double hours) {
  if (hours <= 0) return 0;  // never expires
  auto at = std::chrono::system_clock::now() + std::chrono::duration<double, std::ratio<3600>>(hours);
  return std::chrono::duration_cast<std::chrono::nanoseconds>(at.time_since_epoch()).count();
}

void createLease(const GlobalOptions& options, const CreateArgs& args) {
  Labels labels = parseLabels(args.labels);
  Connection connection(options);
  auto request = leasesService(connection).createRequest();
  connection.setContext(request.initCtx());
  request.setId(args.id);
  request.setExpiresAt(hoursFromNow(args.expiresInHours));
  toRpc(labels, request.initLabels(labels.size()));
  fmt::print("{}\n", toString(connection.wait(request.send()).getLease().getId()));
}

void listLeases(const GlobalOptions& options, const ListFormat& format, const std::vector<std::string>& filters) {
  Connection connection(options);
  auto request = leasesService(connection).listRequest();
  connection.setContext(request.initCtx());
  auto list = request.initFilters(filters.size());
  for (size_t i = 0; i < filters.size(); ++i) list.set(i, filters[i]);
  auto response = connection.wait(request.send());
  ListOutput output(format, {"ID", "CREATED AT", "EXPIRES", "LABELS"});
  for (auto lease : response.getLeases()) {
    std::string id = toString(lease.getId());
    Labels labels = fromRpc(lease.getLabels());
    int64_t expires = lease.getExpiresAt();
    output.add(id,
               {{"id", id}, {"createdAt", lease.getCreatedAt()}, {"expiresAt", expires}, {"labels", toJson(labels)}},
               {id, humanAge(lease.getCreatedAt()), expires == 0 ? "never" : humanAge(expires), formatLabels(labels)});
  }
  output.print();
}

void addCreate(CLI::App& leases, const GlobalOptions& options) {
  auto args = std::make_shared<CreateArgs>();  // shared with the callback, which outlives this scope
  CLI::App* create = leases.add_subcommand("create", "Create a lease and print its id");
  create->add_option("--id", args->id, "The lease's id (generated when not given)");
  create->add_option("--expires", args->expiresInHours, "Hours until it expires; 0 for never")
      ->capture_default_str();
  create->add_option("labels", args->labels, "Labels as KEY=VALUE");
  create->callback([&options, args] { createLease(options, *args); });
}

void addList(CLI::App& leases, const GlobalOptions& options) {
  auto format = std::make_shared<ListFormat>();
  auto filters = std::make_shared<std::vector<std::string>>();
  CLI::App* ls = leases.add_subcommand("ls", "List leases");
  ls->alias("list");
  addListFormatOptions(*ls, *format, "Print only the ids, one per line");
  ls->add_option("filters", *filters, "Filters such as id==x or labels.k==v");
  ls->callback([&options, format, filters] { listLeases(options, *format, *filters); });
}

void listResources(const GlobalOptions& options, const ListFormat& format, const std::string& id) {
  Connection connection(options);
  auto request = leasesService(connection).listResourcesRequest();
  connection.setContext(request.initCtx());
  request.setId(id);
  auto response = connection.wait(request.send());
  ListOutput output(format, {"TYPE", "KEY"});
  for (auto resource : response.getResources()) {
    std::string type = toString(resource.getType()), key = toString(resource.getKey());
    output.add(type + " " + key, {{"type", type}, {"key", key}}, {type, key});
  }
  output.print();
}

// add and rm differ only in the request they send.
void changeResource(const GlobalOptions& options, const ResourceArgs& args, bool add) {
  Connection connection(options);
  auto send = [&](auto request) {
    connection.setContext(request.initCtx());
    request.setId(args.id);
    auto resource = request.initResource();
    resource.setType(args.type);
    resource.setKey(args.key);
    connection.wait(request.send());
  };
  if (add) {
    send(leasesService(connection).addResourceRequest());
  } else {
    send(leasesService(connection).deleteResourceRequest());
  }
  fmt::print("{} {}\n", args.type, args.key);
}

void addChangeResource(CLI::App& resources, const GlobalOptions& options, bool add) {
  auto args = std::make_shared<ResourceArgs>();
  CLI::App* cmd = resources.add_subcommand(add ? "add" : "rm", add ? "Make a lease hold a resource"
                                                                     : "Make a lease let go of a resource");
  if (!add) cmd->alias("remove");
  cmd->add_option("id", args->id, "The lease's id")->required();
  cmd->add_option("type", args->type, "content, ingests or snapshots/<snapshotter>")->required();
  cmd->add_option("key", args->key, "A digest, an ingest ref or a snapshot key")->required();
  cmd->callback([&options, args, add] { changeResource(options, *args, add); });
}

void addResources(CLI::App& leases, const GlobalOptions& options) {
  CLI::App* resources = leases.add_subcommand("resources", "List, add and remove what a lease holds");
  printHelpWhenRunAlone(*resources);
  auto format = std::make_shared<ListFormat>();
  auto id = std::make_shared<std::string>();
  CLI::App* ls = resources->add_subcommand("ls", "List what a lease holds");
  ls->alias("list");
  addListFormatOptions(*ls, *format, "Print only \"TYPE KEY\", one per line");
  ls->add_option("id", *id, "The lease's id")->required();
  ls->callback([&options, format, id] { listResources(options, *format, *id); });
  addChangeResource(*resources, options, true);
  addChangeResource(*resources, options, false);
}

}  // namespace

void addLeasesCommand(CLI::App& ctr, const GlobalOptions& options) {
  CLI::App* leases = ctr.add_subcommand("leases", "Manage leases");
  leases->alias("lease");
  printHelpWhenRunAlone(*leases);
  addCreate(*leases, options);
  addList(*leases, options);
  addResources(*leases, options);
  addRemoveCommand(*leases, options, "Remove leases; what only they held is collected soon after", "The leases to remove",
                   [](Connection& connection, const std::string& item) {
                     auto request = leasesService(connection).deleteRequest();
                     connection.setContext(request.initCtx());
                     request.setId(item);
                     connection.wait(request.send());
                   });
}

}  // namespace tenon::ctr
