// `ctr leases`: create, list and remove leases — what holds content against
// garbage collection while a client builds something with it.
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

}  // namespace

void addLeasesCommand(CLI::App& ctr, const GlobalOptions& options) {
  CLI::App* leases = ctr.add_subcommand("leases", "Manage leases");
  leases->alias("lease");
  printHelpWhenRunAlone(*leases);
  addCreate(*leases, options);
  addList(*leases, options);
  addRemoveCommand(*leases, options, "Remove leases; what only they held is collected soon after", "The leases to remove",
                   [](Connection& connection, const std::string& item) {
                     auto request = leasesService(connection).deleteRequest();
                     connection.setContext(request.initCtx());
                     request.setId(item);
                     connection.wait(request.send());
                   });
}

}  // namespace tenon::ctr
