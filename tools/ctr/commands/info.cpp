// `ctr info`: facts about the running daemon, warnings included (what it runs
// without, such as a damaged metadata store), as JSON like containerd's.
#include "../commands.hpp"
#include "../connection.hpp"
#include "../json_output.hpp"
#include "introspection.capnp.h"

namespace tenon::ctr {
namespace {

void printInfo(const GlobalOptions& options) {
  Connection connection(options);
  auto request = connection.tenon().introspectionRequest().send().getService().serverRequest();
  connection.setContext(request.initCtx());
  auto response = connection.wait(request.send());  // owns the message `info` reads
  auto info = response.getInfo();
  Json warnings = Json::array();
  for (auto warning : info.getWarnings()) warnings.push_back(toString(warning));
  printJson({{"pid", info.getPid()},
             {"root", toString(info.getRoot())},
             {"state", toString(info.getState())},
             {"address", toString(info.getAddress())},
             {"startedAt", rfc3339(info.getStartedAt())},
             {"warnings", warnings}});
}

}  // namespace

void addInfoCommand(CLI::App& ctr, const GlobalOptions& options) {
  CLI::App* info = ctr.add_subcommand("info", "Print facts about the daemon, and what it runs without");
  info->callback([&options] { printInfo(options); });
}

}  // namespace tenon::ctr
