// tenon-shim-runc: one per container. Started by the runtime plugin, it
// daemonizes (so that tenond is not its parent and may die or restart without
// taking the container along), becomes the child subreaper (so that the
// container's processes are its children once the runtime has exited), and
// serves the plugin's requests on its socket until the container is deleted.
//
//   tenon-shim-runc --id ID --bundle DIR --socket PATH --runtime BIN
//                   --runtime-root DIR [--runtime-arg ARG]...
//
// Readiness: once its socket listens, the shim writes "ready <pid>\n" to its
// stdout (a pipe the plugin reads) and lets stdout go; "error <message>\n"
// when it could not get there. Its stderr is its log (<bundle>/shim.log).
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <tenon/error.hpp>
#include <vector>

#include "common/bundle_layout.hpp"
#include "common/files.hpp"
#include "common/line_socket.hpp"
#include "common/runtime_cli.hpp"
#include "shim/container.hpp"
#include "shim/event_loop.hpp"
#include "shim/shim_log.hpp"
#include "shim/shim_server.hpp"

namespace tenon::runtime_runc::shim {

namespace {

struct ShimOptions {
  std::string id;
  std::string bundle;
  std::string socket;
  std::string runtime;
  std::string runtimeRoot;
  std::vector<std::string> runtimeArgs;
};

ShimOptions parseArguments(int argc, char** argv) {
  static const std::map<std::string, std::string ShimOptions::*> kFlags = {
      {"--id", &ShimOptions::id},           {"--bundle", &ShimOptions::bundle},
      {"--socket", &ShimOptions::socket},   {"--runtime", &ShimOptions::runtime},
      {"--runtime-root", &ShimOptions::runtimeRoot}};
  ShimOptions o;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (i + 1 >= argc) fail(TENON_INVALID_ARGUMENT, flag + " needs a value");
    std::string value = argv[++i];
    if (flag == "--runtime-arg") {
      o.runtimeArgs.push_back(value);
    } else if (auto it = kFlags.find(flag); it != kFlags.end()) {
      o.*(it->second) = value;
    } else {
      fail(TENON_INVALID_ARGUMENT, "unknown option " + flag);
    }
  }
  if (o.id.empty() || o.bundle.empty() || o.socket.empty() || o.runtime.empty() || o.runtimeRoot.empty())
    fail(TENON_INVALID_ARGUMENT, "--id, --bundle, --socket, --runtime and --runtime-root are required");
  return o;
}

void announce(const std::string& line) {
  std::string text = line + "\n";
  (void)::write(STDOUT_FILENO, text.data(), text.size());
}

// Leaves the plugin's process tree: the first child's parent (tenond) reaps
// it at once; the grandchild, in its own session, is adopted by init.
void daemonize() {
  pid_t pid = ::fork();
  if (pid < 0) {
    announce(std::string("error fork: ") + std::strerror(errno));
    ::_exit(1);
  }
  if (pid > 0) ::_exit(0);
  ::setsid();
  pid = ::fork();
  if (pid < 0) {
    announce(std::string("error fork: ") + std::strerror(errno));
    ::_exit(1);
  }
  if (pid > 0) ::_exit(0);
  if (::chdir("/") != 0) logMessage("cannot chdir to /");
}

// SIGCHLD through a signalfd, so that reaping is one more event of the loop.
UniqueFd childSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  ::sigprocmask(SIG_BLOCK, &set, nullptr);
  UniqueFd fd(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
  if (!fd) fail(TENON_INTERNAL, std::string("signalfd: ") + std::strerror(errno));
  return fd;
}

void drainSignals(int fd) {
  signalfd_siginfo info;
  while (::read(fd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
  }
}

int serve(const ShimOptions& o) {
  if (::prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
    fail(TENON_INTERNAL, std::string("cannot become child subreaper: ") + std::strerror(errno));
  ::signal(SIGPIPE, SIG_IGN);
  UniqueFd signals = childSignals();
  BundleLayout bundle{o.bundle};
  EventLoop loop;
  ShimServer server(loop, listenUnix(o.socket), o.socket);
  RuntimeCli runtime({o.runtime, o.runtimeRoot, o.runtimeArgs, o.id, bundle.dir, bundle.runtimeLog()});
  Container container(std::move(runtime), bundle, o.socket + ".console", loop,
                      [&server](const ProcessState& exit) { server.onExit(exit); });
  server.serve(container);
  loop.add(signals.get(), EPOLLIN, [&](uint32_t) {
    drainSignals(signals.get());
    container.reapChildren();
  });
  writeFileAtomic(bundle.shimPidFile(), std::to_string(::getpid()), 0600);
  announce("ready " + std::to_string(::getpid()));
  UniqueFd devNull(::open("/dev/null", O_RDWR | O_CLOEXEC));
  if (devNull) ::dup2(devNull.get(), STDOUT_FILENO);
  logMessage("serving " + o.id + " on " + o.socket);
  loop.run();
  logMessage("done with " + o.id);
  return 0;
}

}  // namespace

}  // namespace tenon::runtime_runc::shim

int main(int argc, char** argv) {
  using namespace tenon::runtime_runc::shim;
  ShimOptions options;
  try {
    options = parseArguments(argc, argv);
  } catch (const std::exception& e) {
    announce(std::string("error ") + e.what());
    logMessage(e.what());
    return 2;
  }
  daemonize();
  try {
    return serve(options);
  } catch (const std::exception& e) {
    // Before "ready" the plugin reads this line; after it, only the log does.
    announce(std::string("error ") + e.what());
    logMessage(std::string("fatal: ") + e.what());
    return 1;
  }
}
