// `ctr images pull [--platform P]... [--all-platforms] [registry flags] REF`: the daemon
// resolves REF on its registry, fetches the index or manifest, the configs and layers (in
// parallel, verified as they stream in) and unpacks them into --snapshotter, so no blob
// crosses the socket; ctr shows the progress it reports, answers its credential questions
// (--user, else the Docker config.json), and prints a summary like containerd's ctr:
// "pulled docker.io/library/busybox:latest (sha256:...) in 1.2s, 3 blobs, 2.1 MiB".
#include <fmt/core.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "../credentials_server.hpp"
#include "../human.hpp"
#include "../registry_flags.hpp"
#include "../transfer_progress.hpp"
#include "images_commands.hpp"
#include "registry/reference.hpp"

namespace tenon::ctr {
namespace {

struct PullArgs {
  std::string reference;
  std::vector<std::string> platforms;
  bool allPlatforms = false;
  bool noUnpack = false;
  std::string snapshotter = "overlayfs";
  bool allowForeignUrls = false;
  uint32_t maxConcurrentDownloads = 0;
  bool quiet = false;
  RegistryFlags registry;
};

void pullImage(const GlobalOptions& options, const PullArgs& args) {
  // A malformed reference or --user is refused before anything is sent.
  registry::Reference reference = registry::parseReference(args.reference);
  rpc::Credentials::Client credentials = credentialsServer(reference, args.registry);
  auto progress = std::make_shared<TransferProgress>(args.quiet);
  Connection connection(options);
  auto request = transferService(connection).pullRequest();
  connection.setContext(request.initCtx());
  auto pull = request.initOptions();
  pull.setReference(reference.text());
  setRegistryOptions(pull.initRegistry(), args.registry);
  auto platforms = pull.initPlatforms(static_cast<unsigned>(args.platforms.size()));
  for (unsigned i = 0; i < args.platforms.size(); ++i) platforms.set(i, args.platforms[i]);
  pull.setAllPlatforms(args.allPlatforms);
  pull.setNoUnpack(args.noUnpack);
  pull.setSnapshotter(args.snapshotter);
  pull.setAllowForeignUrls(args.allowForeignUrls);
  pull.setMaxConcurrentDownloads(args.maxConcurrentDownloads);
  request.setCredentials(kj::mv(credentials));
  request.setProgress(progressSink(progress));
  auto result = connection.wait(request.send());
  progress->finish();
  if (args.quiet) return;
  auto image = result.getImage();
  std::string unpacked = progress->layers() > 0
                             ? fmt::format(", {} of {} layer(s) unpacked now", progress->unpacked(), progress->layers())
                             : std::string();
  fmt::print("pulled {} ({}) in {:.1f}s, {} blobs, {}{}\n", toString(image.getName()),
             toString(image.getTarget().getDigest()), progress->seconds(), progress->blobs(),
             humanSize(progress->bytes()), unpacked);
}

}  // namespace

void addImagesPullCommand(CLI::App& images, const GlobalOptions& options) {
  auto args = std::make_shared<PullArgs>();  // shared with the callback, which outlives this scope
  CLI::App* pull = images.add_subcommand("pull", "Pull an image from a registry, and unpack it");
  pull->add_option("reference", args->reference,
                   "The image: name[:tag][@digest] (busybox is docker.io/library/busybox:latest)")
      ->required();
  pull->add_option("--platform", args->platforms,
                   "Pull this platform of an index, os/arch[/variant] (repeatable; default: this host's)")
      ->allow_extra_args(false);
  pull->add_flag("--all-platforms", args->allPlatforms,
                 "Pull every platform of an index (only this host's is unpacked)");
  pull->add_flag("--no-unpack", args->noUnpack, "Only fetch and record the image; do not unpack it");
  pull->add_option("--snapshotter", args->snapshotter, "The snapshotter to unpack into")->capture_default_str();
  pull->add_flag("--allow-foreign-urls", args->allowForeignUrls,
                 "Fetch foreign layers from the URLs their descriptors name (without credentials)");
  pull->add_option("--max-concurrent-downloads", args->maxConcurrentDownloads,
                   "Blobs fetched at once (default: the daemon's [registry] max_concurrent_downloads)");
  addRegistryFlags(*pull, args->registry);
  pull->add_flag("-q,--quiet", args->quiet, "No progress or summary; only errors");
  pull->callback([&options, args] { pullImage(options, *args); });
}

}  // namespace tenon::ctr
