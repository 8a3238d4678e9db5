// `ctr images import FILE`: streams an image archive (an OCI layout or docker-archive tar,
// plain or compressed; `-` for stdin) to the daemon, which stores and verifies every blob
// and records the images, then (unless --no-unpack) unpacks the host platform's image(s) into
// snapshots of --snapshotter. Each chunk is a streaming write whose promise resolves when
// capnp's flow window has room, so a slow daemon slows the reading rather than filling
// memory. Prints each image recorded ("NAME DIGEST") on stdout.
#include <fcntl.h>
#include <fmt/core.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <tenon/error.hpp>
#include <vector>

#include "../human.hpp"
#include "../transfer_progress.hpp"
#include "images_commands.hpp"

namespace tenon::ctr {
namespace {

constexpr size_t kChunk = 1 << 20;

struct ImportArgs {
  std::string file;
  std::string name;
  std::string indexName;
  bool allPlatforms = false;
  bool noUnpack = false;
  std::string snapshotter = "overlayfs";
  bool quiet = false;
};

// The archive's file, or stdin for "-"; closed on exit.
class Input {
 public:
  explicit Input(const std::string& file) : fd_(file == "-" ? STDIN_FILENO : ::open(file.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd_ < 0) fail(TENON_NOT_FOUND, fmt::format("cannot open {}: {}", file, std::strerror(errno)));
    if (fd_ == STDIN_FILENO && ::isatty(fd_) == 1)
      fail(TENON_INVALID_ARGUMENT, "refusing to read an archive from a terminal: redirect stdin or name a file");
  }
  ~Input() {
    if (fd_ != STDIN_FILENO) ::close(fd_);
  }
  Input(const Input&) = delete;
  Input& operator=(const Input&) = delete;

  // Fills `buffer` (fewer bytes only at the end); 0 at the end.
  size_t read(uint8_t* buffer, size_t size) {
    size_t filled = 0;
    while (filled < size) {
      ssize_t n = ::read(fd_, buffer + filled, size - filled);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail(TENON_INTERNAL, fmt::format("cannot read the archive: {}", std::strerror(errno)));
      if (n == 0) break;
      filled += static_cast<size_t>(n);
    }
    return filled;
  }

 private:
  int fd_;
};

void importArchive(const GlobalOptions& options, const ImportArgs& args) {
  Input input(args.file);
  auto progress = std::make_shared<TransferProgress>(args.quiet);
  Connection connection(options);
  auto request = transferService(connection).importRequest();
  connection.setContext(request.initCtx());
  auto wanted = request.initOptions();
  wanted.setName(args.name);
  wanted.setAllPlatforms(args.allPlatforms);
  wanted.setIndexName(args.indexName);
  wanted.setNoUnpack(args.noUnpack);
  wanted.setSnapshotter(args.snapshotter);
  request.setProgress(progressSink(progress));
  rpc::ImportStream::Client stream = request.send().getStream();

  std::vector<uint8_t> buffer(kChunk);
  int64_t sent = 0;
  for (size_t n; (n = input.read(buffer.data(), buffer.size())) > 0;) {
    auto write = stream.writeRequest();
    write.setData(kj::arrayPtr(buffer.data(), n));
    connection.wait(write.send());
    sent += static_cast<int64_t>(n);
  }
  auto result = connection.wait(stream.finishRequest().send());
  progress->finish();
  for (auto image : result.getImages())
    fmt::print("{} {}\n", toString(image.getName()), toString(image.getTarget().getDigest()));
  if (!args.quiet)
    fmt::print(stderr,
               "imported {} image(s) from {} of archive: {} blob(s) stored, {}, {} layer(s) unpacked, in {:.1f}s\n",
               result.getImages().size(), humanSize(sent), progress->blobs(), humanSize(progress->bytes()),
               progress->unpacked(), progress->seconds());
}

}  // namespace

void addImagesImportCommand(CLI::App& images, const GlobalOptions& options) {
  auto args = std::make_shared<ImportArgs>();  // shared with the callback, which outlives this scope
  CLI::App* import = images.add_subcommand(
      "import", "Import images from an OCI layout or docker-archive tar (gzip too); - reads stdin");
  import->add_option("file", args->file, "The archive, or - for stdin")->required();
  import->add_option("--name", args->name, "Name for the archive's one image, instead of the archive's names");
  import->add_flag("--all-platforms", args->allPlatforms,
                   "Require every platform's content, not only this host's");
  import->add_option("--index-name", args->indexName, "Also record the archive's index as an image of this name");
  import->add_flag("--no-unpack", args->noUnpack, "Only store and record the images; do not unpack them");
  import->add_option("--snapshotter", args->snapshotter, "The snapshotter to unpack into")->capture_default_str();
  import->add_flag("-q,--quiet", args->quiet, "No progress or summary; only the images recorded");
  import->callback([&options, args] { importArchive(options, *args); });
}

}  // namespace tenon::ctr
