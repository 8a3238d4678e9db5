#include "plugin/shim_client.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/child_process.hpp"
#include "common/files.hpp"
#include "common/line_socket.hpp"

namespace tenon::runtime_runc {

namespace {

constexpr std::chrono::seconds kShimStartTimeout{10};
constexpr std::chrono::seconds kShimShutdownTimeout{15};

// Everything the shim writes to its readiness pipe until it lets go of it.
std::string readUntilClosed(int fd, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string text;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return text;
    pollfd p{fd, POLLIN, 0};
    int rc = ::poll(&p, 1, static_cast<int>(left.count()));
    if (rc < 0 && errno == EINTR) continue;
    if (rc <= 0) return text;
    char chunk[1024];
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return text;
    text.append(chunk, static_cast<size_t>(n));
  }
}

UniqueFd openShimLog(const BundleLayout& bundle) {
  UniqueFd fd(::open(bundle.shimLog().c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
  if (!fd) fail(TENON_INTERNAL, "cannot open " + bundle.shimLog().string() + ": " + std::strerror(errno));
  return fd;
}

std::vector<std::string> shimArgv(const ShimCommand& c) {
  std::vector<std::string> argv{
      c.shim.string(),   "--id",      c.id,      "--bundle",       c.bundle.dir.string(), "--socket",
      c.socket.string(), "--runtime", c.runtime, "--runtime-root", c.runtimeRoot.string()};
  for (const std::string& arg : c.runtimeArgs) argv.insert(argv.end(), {"--runtime-arg", arg});
  return argv;
}

}  // namespace

json ShimClient::call(const json& request, std::chrono::milliseconds timeout) const {
  UniqueFd conn;
  try {
    conn = connectUnix(socket_);
  } catch (const Error& e) {
    fail(TENON_UNAVAILABLE, "the shim of task " + task_ + " is not reachable: " + e.what());
  }
  sendLine(conn.get(), request.dump());
  LineReader reader(conn.get());
  std::optional<std::string> line = reader.readLine(timeout);
  if (!line)
    fail(TENON_UNAVAILABLE,
         "the shim of task " + task_ + " closed the connection without answering " + request.value("op", "a request"));
  return checkAnswer(parseObject(*line, "the shim's answer"));
}

UniqueFd ShimClient::subscribe() const {
  UniqueFd conn = connectUnix(socket_);
  sendLine(conn.get(), json{{"op", "events"}}.dump());
  return conn;
}

StartedShim::StartedShim(const ShimCommand& command) : command_(command) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) fail(TENON_INTERNAL, std::string("pipe: ") + std::strerror(errno));
  UniqueFd readyRead(fds[0]), readyWrite(fds[1]);
  UniqueFd log = openShimLog(command.bundle);
  pid_t child = spawnChild(shimArgv(command), {ChildStdio::kNone, readyWrite.get(), log.get()});
  readyWrite.reset();
  // The shim's first process exits as soon as it has forked the daemon.
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  std::string text = readUntilClosed(readyRead.get(), kShimStartTimeout);
  if (text.starts_with("ready ")) {
    pid_ = static_cast<pid_t>(std::stol(text.substr(6)));
    return;
  }
  // A shim that got as far as its pid file but no further must not linger.
  if (auto pid = readFileIfExists(command.bundle.shimPidFile())) ::kill(static_cast<pid_t>(std::stol(*pid)), SIGKILL);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  if (text.starts_with("error ")) text.erase(0, 6);
  if (text.empty()) text = "it gave no sign of life within " + std::to_string(kShimStartTimeout.count()) + " s";
  fail(TENON_INTERNAL, "the shim for task " + command.id + " did not start: " + text + " (see " +
                           command.bundle.shimLog().string() + ")");
}

StartedShim::~StartedShim() {
  if (kept_ || pid_ <= 0) return;
  try {
    ShimClient(command_.socket, command_.id).call(json{{"op", "shutdown"}}, kShimShutdownTimeout);
    return;
  } catch (const std::exception&) {
  }
  // It would not go by itself: nothing runs in it that must be kept.
  ::kill(pid_, SIGKILL);
  ::unlink(command_.socket.c_str());
}

}  // namespace tenon::runtime_runc
