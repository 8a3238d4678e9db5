// `ctr images export FILE NAME...`: the images as one OCI image layout tar, which the
// daemon streams into a ByteSink that ctr serves. The archive is written to a temporary
// file next to FILE, synced and renamed over FILE only once complete, so FILE is never
// a partial archive; `-` writes to stdout, and a FILE that exists but is not a regular
// file (a FIFO, /dev/null) is written to directly.
#include <fcntl.h>
#include <sys/stat.h>
#include <fmt/core.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <tenon/error.hpp>
#include <vector>

#include "../human.hpp"
#include "../transfer_progress.hpp"
#include "images_commands.hpp"

namespace tenon::ctr {
namespace {

struct ExportArgs {
  std::string file;
  std::vector<std::string> names;
  bool quiet = false;
};

// Where the archive goes: a temporary file beside the target (removed unless commit()
// renames it over the target), or stdout.
class Output {
 public:
  explicit Output(const std::string& file) : file_(file) {
    if (file == "-") {
      if (::isatty(STDOUT_FILENO) == 1)
        fail(TENON_INVALID_ARGUMENT, "refusing to write an archive to a terminal: redirect stdout or name a file");
      fd_ = STDOUT_FILENO;
      return;
    }
    struct stat st{};
    if (::stat(file.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
      // A FIFO or a device (/dev/null) is written to, never replaced by a rename.
      fd_ = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
      if (fd_ < 0) fail(TENON_INTERNAL, fmt::format("cannot open {}: {}", file, std::strerror(errno)));
      return;
    }
    std::filesystem::path target(file);
    std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
    temp_ = dir + "/." + target.filename().string() + ".tmp-XXXXXX";
    fd_ = ::mkostemp(temp_.data(), O_CLOEXEC);
    if (fd_ < 0) fail(TENON_INTERNAL, fmt::format("cannot create a file in {}: {}", dir, std::strerror(errno)));
    // mkstemp makes it 0600; the archive gets what a plain create would give it.
    mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd_, 0666 & ~mask);
  }
  ~Output() {
    if (fd_ >= 0 && fd_ != STDOUT_FILENO) ::close(fd_);
    if (!temp_.empty() && !committed_) ::unlink(temp_.c_str());
  }
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  int fd() const { return fd_; }

  // Makes the archive durable, then visible under its name (atomically).
  void commit() {
    if (temp_.empty()) return;  // stdout, or a file that is not a regular one
    if (::fsync(fd_) != 0) failWrite("sync");
    if (::rename(temp_.c_str(), file_.c_str()) != 0) failWrite("rename");
    committed_ = true;
    std::filesystem::path target(file_);
    std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
    int dirFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
      ::fsync(dirFd);  // the rename itself survives a crash
      ::close(dirFd);
    }
  }

 private:
  [[noreturn]] void failWrite(const char* step) const {
    fail(TENON_INTERNAL, fmt::format("cannot write {} ({}): {}", file_, step, std::strerror(errno)));
  }

  std::string file_;
  std::string temp_;
  int fd_ = -1;
  bool committed_ = false;
};

struct SinkState {
  std::string writeError;  // why the output failed, if it did
  int64_t bytes = 0;
};

class FileSink final : public rpc::ByteSink::Server {
 public:
  FileSink(int fd, std::shared_ptr<SinkState> state) : fd_(fd), state_(std::move(state)) {}

 protected:
  kj::Promise<void> write(WriteContext context) override {
    auto data = context.getParams().getData();
    for (size_t done = 0; done < data.size();) {
      ssize_t n = ::write(fd_, data.begin() + done, data.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        state_->writeError = std::string("cannot write the archive: ") + std::strerror(errno);
        // Failing the call stops the daemon's export; exportImages() reports why.
        return KJ_EXCEPTION(FAILED, "the archive cannot be written");
      }
      done += static_cast<size_t>(n);
    }
    state_->bytes += static_cast<int64_t>(data.size());
    return kj::READY_NOW;
  }

  kj::Promise<void> done(DoneContext) override { return kj::READY_NOW; }

 private:
  int fd_;
  std::shared_ptr<SinkState> state_;
};

void exportImages(const GlobalOptions& options, const ExportArgs& args) {
  std::signal(SIGPIPE, SIG_IGN);  // a closed stdout is an error to report, not a death
  Output output(args.file);
  auto state = std::make_shared<SinkState>();
  auto progress = std::make_shared<TransferProgress>(args.quiet);
  Connection connection(options);
  auto request = transferService(connection).exportRequest();
  connection.setContext(request.initCtx());
  auto names = request.initNames(args.names.size());
  for (unsigned i = 0; i < args.names.size(); ++i) names.set(i, args.names[i]);
  request.setSink(kj::heap<FileSink>(output.fd(), state));
  request.setProgress(progressSink(progress));
  try {
    connection.wait(request.send());
  } catch (...) {
    progress->finish();
    if (!state->writeError.empty()) fail(TENON_INTERNAL, state->writeError);
    throw;
  }
  output.commit();
  progress->finish();
  if (!args.quiet)
    fmt::print(stderr, "exported {} image(s) to {}: {} blob(s), {} archive, in {:.1f}s\n", args.names.size(),
               args.file == "-" ? "stdout" : args.file, progress->blobs(), humanSize(state->bytes),
               progress->seconds());
}

}  // namespace

void addImagesExportCommand(CLI::App& images, const GlobalOptions& options) {
  auto args = std::make_shared<ExportArgs>();  // shared with the callback, which outlives this scope
  CLI::App* exportCommand =
      images.add_subcommand("export", "Export images as an OCI image layout tar; - writes to stdout");
  exportCommand->add_option("file", args->file, "The archive to write, or - for stdout")->required();
  exportCommand->add_option("names", args->names, "The images to put in it")->required();
  exportCommand->add_flag("-q,--quiet", args->quiet, "No progress or summary");
  exportCommand->callback([&options, args] { exportImages(options, *args); });
}

}  // namespace tenon::ctr
