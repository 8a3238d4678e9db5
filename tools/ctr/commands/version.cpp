// `ctr version`: like containerd's, the client's part first, so that it prints even when
// the daemon is down.
#include <fmt/core.h>

#include "../commands.hpp"
#include "../connection.hpp"
#include "tenon_build_config.h"
#include "tenon_revision.h"
#include "version.capnp.h"

namespace tenon::ctr {
namespace {

void printVersion(const GlobalOptions& options) {
  fmt::print("Client:\n  Version:  {}\n  Revision: {}\n\n", TENON_VERSION, TENON_REVISION);
  std::fflush(stdout);  // before a connection error goes to stderr

  Connection connection(options);
  auto request = connection.tenon().versionRequest().send().getService().getRequest();
  connection.setContext(request.initCtx());
  auto response = connection.wait(request.send());
  auto info = response.getInfo();
  fmt::print("Server:\n  Version:  {}\n  Revision: {}\n  ABI:      {}\n", info.getVersion().cStr(),
             info.getRevision().cStr(), info.getAbiVersion());
}

}  // namespace

void addVersionCommand(CLI::App& ctr, const GlobalOptions& options) {
  CLI::App* version = ctr.add_subcommand("version", "Print the client and server versions");
  version->callback([&options] { printVersion(options); });
}

}  // namespace tenon::ctr
