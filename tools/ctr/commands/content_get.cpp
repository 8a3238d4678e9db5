// `ctr content get DIGEST`: streams a blob to stdout. The daemon pushes the bytes into a
// ByteSink capability that ctr serves, chunk by chunk, each written out before the next
// is asked for, so that memory stays flat whatever the blob's size.
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <memory>
#include <string>
#include <tenon/error.hpp>

#include "content_commands.hpp"

namespace tenon::ctr {
namespace {

// How the copy to stdout went, kept apart from the sink, which the RPC system owns.
struct SinkState {
  bool readerGone = false;  // stdout is a pipe whose reader left (`| head -c 10`)
  std::string writeError;   // stdout failed otherwise (a full disk)
};

class StdoutSink final : public rpc::ByteSink::Server {
 public:
  explicit StdoutSink(std::shared_ptr<SinkState> state) : state_(std::move(state)) {}

 protected:
  kj::Promise<void> write(WriteContext context) override {
    auto data = context.getParams().getData();
    for (size_t done = 0; done < data.size();) {
      ssize_t n = ::write(STDOUT_FILENO, data.begin() + done, data.size() - done);
      if (n >= 0) {
        done += static_cast<size_t>(n);
        continue;
      }
      if (errno == EINTR) continue;
      if (errno == EPIPE)
        state_->readerGone = true;
      else
        state_->writeError = std::string("cannot write to stdout: ") + std::strerror(errno);
      // Failing the call stops the daemon's stream; getBlob() then tells what happened.
      return KJ_EXCEPTION(FAILED, "stdout is closed");
    }
    return kj::READY_NOW;
  }

  kj::Promise<void> done(DoneContext) override { return kj::READY_NOW; }

 private:
  std::shared_ptr<SinkState> state_;
};

void getBlob(const GlobalOptions& options, const std::string& digest) {
  // A closed pipe is a reader that has seen enough, not an error to die of.
  std::signal(SIGPIPE, SIG_IGN);
  auto state = std::make_shared<SinkState>();
  Connection connection(options);
  auto request = contentService(connection).readRequest();
  connection.setContext(request.initCtx());
  request.setDigest(digest);
  request.setOffset(0);
  request.setLength(0);  // to the end
  request.setSink(kj::heap<StdoutSink>(state));
  try {
    connection.wait(request.send());
  } catch (...) {
    if (state->readerGone) return;
    if (!state->writeError.empty()) fail(TENON_INTERNAL, state->writeError);
    throw;
  }
}

}  // namespace

void addContentGetCommand(CLI::App& content, const GlobalOptions& options) {
  auto digest = std::make_shared<std::string>();  // shared with the callback, which outlives this scope
  CLI::App* get = content.add_subcommand("get", "Write a blob's bytes to stdout");
  get->alias("cat");
  get->add_option("digest", *digest, "The blob's digest")->required();
  get->callback([&options, digest] { getBlob(options, *digest); });
}

}  // namespace tenon::ctr
