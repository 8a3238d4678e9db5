// The subcommands of `ctr content` that need a file of their own; content.cpp adds them.
#ifndef TENON_CTR_COMMANDS_CONTENT_COMMANDS_HPP
#define TENON_CTR_COMMANDS_CONTENT_COMMANDS_HPP

#include <CLI/CLI.hpp>

#include "../connection.hpp"
#include "../options.hpp"
#include "content.capnp.h"

namespace tenon::ctr {

// `ctr content get DIGEST`: the blob's bytes on stdout.
void addContentGetCommand(CLI::App& content, const GlobalOptions& options);

// `ctr content ingest REF`: stdin into the store, resuming an interrupted ingest of REF.
void addContentIngestCommand(CLI::App& content, const GlobalOptions& options);

inline rpc::Content::Client contentService(Connection& connection) {
  return connection.tenon().contentRequest().send().getService();
}

}  // namespace tenon::ctr

#endif  // TENON_CTR_COMMANDS_CONTENT_COMMANDS_HPP
