#include "common/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <tenon/error.hpp>
#include <tenon/unique_fd.hpp>

extern char** environ;

namespace tenon::runtime_runc {

namespace {

struct SpawnAttributes {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnAttributes() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnAttributes() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
};

UniqueFd openDevNull() {
  UniqueFd fd(::open("/dev/null", O_RDWR | O_CLOEXEC));
  if (!fd) fail(TENON_INTERNAL, std::string("cannot open /dev/null: ") + std::strerror(errno));
  return fd;
}

struct Pipe {
  UniqueFd read;
  UniqueFd write;
  Pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) fail(TENON_INTERNAL, std::string("pipe: ") + std::strerror(errno));
    read.reset(fds[0]);
    write.reset(fds[1]);
    // Only our end is non-blocking: the child writes as it normally would.
    ::fcntl(write.get(), F_SETFL, 0);
  }
};

// Appends what `fd` has now to `out`; false once it reached EOF.
bool drain(int fd, std::string& out) {
  char chunk[8192];
  for (;;) {
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n > 0) {
      out.append(chunk, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && errno == EAGAIN;
  }
}

// Polls the child's pidfd and the capture pipes until it exits or the deadline passes.
bool awaitExit(int pidfd, int outFd, int errFd, CommandResult& result, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    pollfd fds[3] = {{pidfd, POLLIN, 0}, {outFd, POLLIN, 0}, {errFd, POLLIN, 0}};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    int rc = ::poll(fds, 3, static_cast<int>(left.count()));
    if (rc < 0 && errno != EINTR) fail(TENON_INTERNAL, std::string("poll: ") + std::strerror(errno));
    if (rc <= 0) continue;
    if (outFd >= 0 && fds[1].revents && !drain(outFd, result.out)) outFd = -1;
    if (errFd >= 0 && fds[2].revents && !drain(errFd, result.err)) errFd = -1;
    if (fds[0].revents) return true;
  }
}

}  // namespace

pid_t spawnChild(const std::vector<std::string>& argv, const ChildStdio& stdio) {
  if (argv.empty()) fail(TENON_INTERNAL, "spawnChild: empty argv");
  UniqueFd devNull = openDevNull();
  SpawnAttributes a;
  int fds[3] = {stdio.in, stdio.out, stdio.err};
  for (int target = 0; target < 3; ++target)
    posix_spawn_file_actions_adddup2(&a.actions, fds[target] >= 0 ? fds[target] : devNull.get(), target);
  // Only 0-2 go to the child: tenond's own fds that lack O_CLOEXEC (LMDB's
  // data files, a caller's flock) must not live on in a shim or in runc.
  posix_spawn_file_actions_addclosefrom_np(&a.actions, 3);
  sigset_t none;
  sigemptyset(&none);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGCHLD, SIGHUP, SIGINT, SIGTERM}) sigaddset(&defaults, sig);
  posix_spawnattr_setsigmask(&a.attr, &none);
  posix_spawnattr_setsigdefault(&a.attr, &defaults);
  posix_spawnattr_setflags(&a.attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<char*> args;
  for (const std::string& s : argv) args.push_back(const_cast<char*>(s.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int err = ::posix_spawn(&pid, argv[0].c_str(), &a.actions, &a.attr, args.data(), environ);
  if (err != 0) fail(TENON_INTERNAL, "cannot start " + argv[0] + ": " + std::strerror(err));
  return pid;
}

CommandResult runCommand(const std::vector<std::string>& argv, const ChildStdio& stdio,
                         std::chrono::milliseconds timeout) {
  Pipe out, err;
  ChildStdio child = stdio;
  if (child.out == ChildStdio::kNone) child.out = out.write.get();
  if (child.err == ChildStdio::kNone) child.err = err.write.get();
  pid_t pid = spawnChild(argv, child);
  out.write.reset();
  err.write.reset();
  UniqueFd pidfd = openPidfd(pid);
  CommandResult result;
  if (!pidfd || !awaitExit(pidfd.get(), out.read.get(), err.read.get(), result, timeout)) {
    if (pidfd) {
      ::kill(pid, SIGKILL);
      result.timedOut = true;
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  drain(out.read.get(), result.out);
  drain(err.read.get(), result.err);
  result.exitCode = exitCodeOf(status);
  return result;
}

// By syscall: glibc 2.36's <sys/pidfd.h> declares pidfd_open without C linkage.
UniqueFd openPidfd(pid_t pid) { return UniqueFd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0))); }

int exitCodeOf(int waitStatus) {
  if (WIFEXITED(waitStatus)) return WEXITSTATUS(waitStatus);
  if (WIFSIGNALED(waitStatus)) return 128 + WTERMSIG(waitStatus);
  return 255;
}

std::string resolveProgram(const std::string& program) {
  if (program.empty()) fail(TENON_INVALID_ARGUMENT, "the program name is empty");
  if (program.find('/') != std::string::npos) {
    if (::access(program.c_str(), X_OK) != 0) fail(TENON_NOT_FOUND, program + " is not an executable file");
    return std::filesystem::absolute(program).string();
  }
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  for (size_t start = 0; start <= dirs.size();) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string candidate = dirs.substr(start, end - start) + "/" + program;
    if (end > start && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  fail(TENON_NOT_FOUND, "\"" + program + "\" is not found in PATH (" + dirs + ")");
}

}  // namespace tenon::runtime_runc
