// The subcommands of `ctr images` that need a file of their own; images.cpp adds them.
#ifndef TENON_CTR_COMMANDS_IMAGES_COMMANDS_HPP
#define TENON_CTR_COMMANDS_IMAGES_COMMANDS_HPP

#include <CLI/CLI.hpp>

#include "../connection.hpp"
#include "../options.hpp"
#include "images.capnp.h"
#include "transfer.capnp.h"

namespace tenon::ctr {

// `ctr images ls` and `ctr images check`: the images, summarised from their content.
void addImagesListCommands(CLI::App& images, const GlobalOptions& options);

// `ctr images import FILE`: an OCI or docker archive into the daemon, with progress.
void addImagesImportCommand(CLI::App& images, const GlobalOptions& options);

// `ctr images export FILE NAME...`: images as an OCI layout archive, with progress.
void addImagesExportCommand(CLI::App& images, const GlobalOptions& options);

// `ctr images pull REF`: from a registry into the daemon, with progress and a summary.
void addImagesPullCommand(CLI::App& images, const GlobalOptions& options);

// `ctr images push REF [LOCAL]`: from the daemon to a registry, with progress; prints the digest.
void addImagesPushCommand(CLI::App& images, const GlobalOptions& options);

// `ctr images unpack NAME`: the image's layers into snapshots, with progress; prints the chain ID.
void addImagesUnpackCommand(CLI::App& images, const GlobalOptions& options);

inline rpc::Images::Client imagesService(Connection& connection) {
  return connection.tenon().imagesRequest().send().getService();
}

inline rpc::Transfer::Client transferService(Connection& connection) {
  return connection.tenon().transferRequest().send().getService();
}

}  // namespace tenon::ctr

#endif  // TENON_CTR_COMMANDS_IMAGES_COMMANDS_HPP
