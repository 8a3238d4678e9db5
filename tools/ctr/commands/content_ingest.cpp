// `ctr content ingest REF`: stdin into the content store. ctr hashes what it reads and
// commits that digest (or the expected one); the daemon verifies it. An ingest cut short
// (ctr or tenond killed) is resumed by running the same command again: the daemon says how
// many bytes it kept, ctr skips (and hashes) as many of stdin and sends the rest.
#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <tenon/error.hpp>
#include <thread>
#include <vector>

#include "../errors.hpp"
#include "../labels.hpp"
#include "../progress.hpp"
#include "../sha256.hpp"
#include "content_commands.hpp"

namespace tenon::ctr {
namespace {

constexpr size_t kChunk = 1 << 20;
// How long an ingest another writer holds is waited for. A client killed mid-ingest
// leaves its writer open on the daemon for a moment after the connection drops.
constexpr auto kBusyWait = std::chrono::seconds(2);

struct IngestArgs {
  std::string ref;
  int64_t expectedSize = -1;
  std::string expectedDigest;
  std::vector<std::string> labels;
};

// stdin, read in chunks and hashed on the way.
class HashedStdin {
 public:
  // Fills `buffer` with up to `size` bytes: fewer only at the end of stdin.
  size_t read(uint8_t* buffer, size_t size) {
    size_t filled = 0;
    while (filled < size) {
      ssize_t n = ::read(STDIN_FILENO, buffer + filled, size - filled);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail(TENON_INTERNAL, std::string("cannot read stdin: ") + std::strerror(errno));
      if (n == 0) break;
      filled += static_cast<size_t>(n);
    }
    hash_.update(buffer, filled);
    return filled;
  }

  std::string digest() { return hash_.digest(); }

 private:
  Sha256 hash_;
};

struct OpenedIngest {
  rpc::Writer::Client writer;
  int64_t offset;  // bytes the daemon has already
};

// In a catch block: whether the error being handled carries `code` ("unavailable"...).
bool hasCode(const std::string& code) { return describe(std::current_exception()).code == code; }

// The writer of `ref`, or nothing when the daemon has the expected blob already (and has
// recorded it in the namespace). Retries for a while when another writer holds the ref.
std::optional<OpenedIngest> openIngest(Connection& connection, rpc::Content::Client& content, const IngestArgs& args) {
  auto giveUp = std::chrono::steady_clock::now() + kBusyWait;
  auto pause = std::chrono::milliseconds(10);
  for (;;) {
    auto request = content.openWriterRequest();
    connection.setContext(request.initCtx());
    request.setRef(args.ref);
    request.setTotal(args.expectedSize);
    request.setExpectedDigest(args.expectedDigest);
    try {
      auto response = connection.wait(request.send());
      return OpenedIngest{response.getWriter(), response.getStatus().getOffset()};
    } catch (const kj::Exception& e) {
      if (e.getType() == kj::Exception::Type::DISCONNECTED) throw;
      if (hasCode("already_exists") && !args.expectedDigest.empty()) return std::nullopt;
      if (!hasCode("unavailable") || std::chrono::steady_clock::now() + pause > giveUp) throw;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(500));
  }
}

// Skips the `kept` bytes the daemon has of a resumed ingest, hashing them; the count
// skipped, less than `kept` only when stdin is shorter.
int64_t skipKept(HashedStdin& input, std::vector<uint8_t>& buffer, int64_t kept, Progress& progress) {
  int64_t skipped = 0;
  while (skipped < kept) {
    size_t want = static_cast<size_t>(std::min<int64_t>(kept - skipped, static_cast<int64_t>(buffer.size())));
    size_t got = input.read(buffer.data(), want);
    skipped += static_cast<int64_t>(got);
    progress.update(skipped);
    if (got < want) break;
  }
  return skipped;
}

// Sends stdin from `offset` on. Each write is a streaming call: its send() promise
// resolves when capnp's flow window has room, so waiting on it before reading more keeps
// memory bounded; the last one is waited for too, and commit (a regular call, delivered
// after every write) fails with the first write that failed. The bytes sent, from 0.
int64_t sendRest(Connection& connection, rpc::Writer::Client& writer, HashedStdin& input, std::vector<uint8_t>& buffer,
                 int64_t offset, Progress& progress) {
  for (;;) {
    size_t got = input.read(buffer.data(), buffer.size());
    if (got == 0) return offset;
    auto request = writer.writeRequest();
    request.setOffset(offset);
    request.setData(kj::arrayPtr(buffer.data(), got));
    connection.wait(request.send());
    offset += static_cast<int64_t>(got);
    progress.update(offset);
  }
}

// The daemon recorded a blob it had already without labels of ours: those given replace
// the record's labels here, as commit would have done.
std::string recordExisting(Connection& connection, rpc::Content::Client& content, const IngestArgs& args,
                           const Labels& labels) {
  if (labels.empty()) return args.expectedDigest;
  auto request = content.setLabelsRequest();
  connection.setContext(request.initCtx());
  request.setDigest(args.expectedDigest);
  toRpc(labels, request.initLabels(labels.size()));
  return toString(connection.wait(request.send()).getInfo().getDigest());
}

void ingestStdin(const GlobalOptions& options, const IngestArgs& args) {
  Labels labels = parseLabels(args.labels);
  Connection connection(options);
  rpc::Content::Client content = contentService(connection);
  std::optional<OpenedIngest> opened = openIngest(connection, content, args);
  if (!opened) {
    fmt::print("{}\n", recordExisting(connection, content, args, labels));
    return;
  }

  HashedStdin input;
  std::vector<uint8_t> buffer(kChunk);
  Progress progress(args.ref);
  int64_t offset = skipKept(input, buffer, opened->offset, progress);
  if (offset < opened->offset) {  // stdin is shorter than what the daemon kept: cut it back
    auto cut = opened->writer.writeRequest();
    cut.setOffset(offset);
    connection.wait(cut.send());
  }
  offset = sendRest(connection, opened->writer, input, buffer, offset, progress);

  auto commit = opened->writer.commitRequest();
  // The expected size and digest, when given, are what the daemon must verify.
  commit.setSize(args.expectedSize >= 0 ? args.expectedSize : offset);
  commit.setDigest(args.expectedDigest.empty() ? input.digest() : args.expectedDigest);
  toRpc(labels, commit.initLabels(labels.size()));
  auto response = connection.wait(commit.send());
  progress.clear();
  fmt::print("{}\n", toString(response.getInfo().getDigest()));
}

}  // namespace

void addContentIngestCommand(CLI::App& content, const GlobalOptions& options) {
  auto args = std::make_shared<IngestArgs>();  // shared with the callback, which outlives this scope
  CLI::App* ingest = content.add_subcommand(
      "ingest", "Store stdin as a blob under an ingest ref; run it again to resume an interrupted ingest");
  ingest->add_option("ref", args->ref, "A name for the ingest, unique among those in progress")->required();
  ingest->add_option("--expected-size", args->expectedSize, "The size stdin must have")->check(CLI::NonNegativeNumber);
  ingest->add_option("--expected-digest", args->expectedDigest, "The digest stdin must have (sha256:...)");
  ingest->add_option("--label", args->labels, "A label for the blob, KEY=VALUE; may be repeated")
      ->allow_extra_args(false);
  ingest->callback([&options, args] { ingestStdin(options, *args); });
}

}  // namespace tenon::ctr
