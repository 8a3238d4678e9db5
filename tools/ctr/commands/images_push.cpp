// `ctr images push [--platform P]... [registry flags] REF [LOCAL]`: the daemon pushes the
// image LOCAL (by default REF itself) from its content store to REF's registry: blobs the
// registry has are skipped, blobs pulled from another repository of it are mounted, the
// rest uploaded in parallel; then the manifests and the index, and REF's tag. ctr shows
// the progress, answers the credential questions (--user, else the Docker config.json),
// and prints the digest pushed on stdout.
#include <fmt/core.h>

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

struct PushArgs {
  std::string reference;
  std::string local;
  std::vector<std::string> platforms;
  bool quiet = false;
  RegistryFlags registry;
};

void pushImage(const GlobalOptions& options, const PushArgs& args) {
  registry::Reference reference = registry::parseReference(args.reference);
  rpc::Credentials::Client credentials = credentialsServer(reference, args.registry);
  auto progress = std::make_shared<TransferProgress>(args.quiet);
  Connection connection(options);
  auto request = transferService(connection).pushRequest();
  connection.setContext(request.initCtx());
  auto push = request.initOptions();
  push.setReference(args.reference);
  push.setLocal(args.local);  // looked up as it is, else normalised, by the daemon
  setRegistryOptions(push.initRegistry(), args.registry);
  auto platforms = push.initPlatforms(static_cast<unsigned>(args.platforms.size()));
  for (unsigned i = 0; i < args.platforms.size(); ++i) platforms.set(i, args.platforms[i]);
  request.setCredentials(kj::mv(credentials));
  request.setProgress(progressSink(progress));
  auto result = connection.wait(request.send());
  progress->finish();
  std::string digest = toString(result.getDigest());
  fmt::print("{}\n", digest);
  if (!args.quiet)
    fmt::print(stderr, "pushed {} ({}) in {:.1f}s: {} blobs, {} there already or mounted, {} sent\n",
               reference.text(), digest, progress->seconds(), progress->blobs(), progress->skipped(),
               humanSize(progress->moved()));
}

}  // namespace

void addImagesPushCommand(CLI::App& images, const GlobalOptions& options) {
  auto args = std::make_shared<PushArgs>();  // shared with the callback, which outlives this scope
  CLI::App* push = images.add_subcommand("push", "Push an image to a registry; prints the digest pushed");
  push->add_option("reference", args->reference, "Where to: name[:tag][@digest]")->required();
  push->add_option("local", args->local, "The image to push (default: the reference)");
  push->add_option("--platform", args->platforms,
                   "Push only this platform's manifest of an index, os/arch[/variant] (repeatable)")
      ->allow_extra_args(false);
  addRegistryFlags(*push, args->registry);
  push->add_flag("-q,--quiet", args->quiet, "No progress or summary; only the digest");
  push->callback([&options, args] { pushImage(options, *args); });
}

}  // namespace tenon::ctr
