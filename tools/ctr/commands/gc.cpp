// `ctr gc [--dry-run]` (also `ctr content prune`): garbage collection now.
// Prints one line per removed item; errors of single items go to stderr and
// make the exit code 1, as nothing else reports them.
#include <fmt/core.h>

#include <cstdio>
#include <memory>

#include "../commands.hpp"
#include "../connection.hpp"
#include "../errors.hpp"
#include "gc.capnp.h"

namespace tenon::ctr {
namespace {

void collect(const GlobalOptions& options, bool dryRun) {
  Connection connection(options);
  auto request = connection.tenon().gcRequest().send().getService().collectRequest();
  connection.setContext(request.initCtx());
  request.setDryRun(dryRun);
  auto response = connection.wait(request.send());  // owns the message the report reads
  auto report = response.getReport();
  for (auto item : report.getRemoved()) fmt::print("{}{}\n", dryRun ? "would remove " : "removed ", item.cStr());
  for (auto error : report.getErrors()) fmt::print(stderr, "ctr: gc: {}\n", error.cStr());
  if (report.getErrors().size() > 0) throw ReportedFailure();
}

}  // namespace

void addGcCommand(CLI::App& parent, const GlobalOptions& options, const std::string& name) {
  auto dryRun = std::make_shared<bool>(false);  // shared with the callback, which outlives this scope
  CLI::App* gc = parent.add_subcommand(name, "Collect garbage now: expired leases, unreferenced content and snapshots");
  gc->add_flag("--dry-run", *dryRun, "Only print what would be removed");
  gc->callback([&options, dryRun] { collect(options, *dryRun); });
}

}  // namespace tenon::ctr
