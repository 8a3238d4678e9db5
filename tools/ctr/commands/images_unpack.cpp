// `ctr images unpack [--snapshotter NAME] [--platform P] NAME`: asks the daemon to apply the
// image's layers into committed snapshots (skipping those already there), printing each
// layer's progress on stderr as import does, then the image's top chain ID on stdout: the
// parent a container's snapshot is prepared on.
#include <fmt/core.h>

#include <memory>
#include <string>

#include "../transfer_progress.hpp"
#include "images_commands.hpp"

namespace tenon::ctr {
namespace {

struct UnpackArgs {
  std::string name;
  std::string snapshotter = "overlayfs";
  std::string platform;
  bool quiet = false;
};

void unpackImage(const GlobalOptions& options, const UnpackArgs& args) {
  auto progress = std::make_shared<TransferProgress>(args.quiet);
  Connection connection(options);
  auto request = transferService(connection).unpackRequest();
  connection.setContext(request.initCtx());
  request.setImage(args.name);
  request.setSnapshotter(args.snapshotter);
  request.setPlatform(args.platform);
  request.setProgress(progressSink(progress));
  auto result = connection.wait(request.send());
  progress->finish();
  fmt::print("{}\n", toString(result.getChainId()));
  if (!args.quiet)
    fmt::print(stderr, "{} layer(s) of {} in {}: {} unpacked now, {} there already, in {:.1f}s\n", progress->layers(),
               args.name, args.snapshotter, progress->unpacked(), progress->layers() - progress->unpacked(),
               progress->seconds());
}

}  // namespace

void addImagesUnpackCommand(CLI::App& images, const GlobalOptions& options) {
  auto args = std::make_shared<UnpackArgs>();  // shared with the callback, which outlives this scope
  CLI::App* unpack = images.add_subcommand(
      "unpack", "Unpack an image's layers into snapshots (those there already are kept); prints its chain ID");
  unpack->add_option("name", args->name, "The image's name")->required();
  unpack->add_option("--snapshotter", args->snapshotter, "The snapshotter to unpack into")->capture_default_str();
  unpack->add_option("--platform", args->platform,
                     "The platform of an index to unpack, os/arch[/variant] (default: this host's)");
  unpack->add_flag("-q,--quiet", args->quiet, "No progress; only the chain ID");
  unpack->callback([&options, args] { unpackImage(options, *args); });
}

}  // namespace tenon::ctr
