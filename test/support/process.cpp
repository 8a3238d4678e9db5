#include "process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <thread>

extern char** environ;

namespace tenon::test {

std::vector<std::string> environmentWith(const std::vector<std::string>& overrides) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) env.emplace_back(*entry);
  for (const std::string& change : overrides) {
    size_t equals = change.find('=');
    std::string prefix = change.substr(0, equals) + "=";
    std::erase_if(env, [&](const std::string& e) { return e.starts_with(prefix); });
    if (equals != std::string::npos) env.push_back(change);
  }
  return env;
}

std::vector<char*> cStrings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

ExitStatus decode(int wstatus) {
  if (WIFSIGNALED(wstatus)) return {-1, WTERMSIG(wstatus)};
  return {WEXITSTATUS(wstatus), 0};
}

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void throwErrno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

ExitStatus reap(pid_t pid) {
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0)
    if (errno != EINTR) throwErrno("waitpid");
  return decode(wstatus);
}

// Starts argv with stdout/stderr on the given fds. exec errors come back through a
// close-on-exec pipe, so that a typo in a path fails the test loudly, not as exit 127.
pid_t spawn(std::vector<std::string> argv, const std::vector<std::string>& envOverrides, int outFd, int errFd) {
  if (argv.empty()) throw std::invalid_argument("spawn: empty argv");
  std::vector<std::string> env = environmentWith(envOverrides);
  std::vector<char*> argvC = cStrings(argv), envC = cStrings(env);  // built before fork: the child only execs
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) throwErrno("pipe2");
  int devNull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    int e = errno;
    for (int fd : {report[0], report[1], devNull}) ::close(fd);
    errno = e;
    throwErrno("fork");
  }
  if (pid == 0) {
    // Should the test itself crash, its daemons die with it instead of lingering.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    if (::dup2(devNull, 0) < 0 || ::dup2(outFd, 1) < 0 || ::dup2(errFd, 2) < 0) {
      int e = errno;
      (void)!::write(report[1], &e, sizeof e);
      ::_exit(127);
    }
    ::execvpe(argvC[0], argvC.data(), envC.data());
    int e = errno;
    (void)!::write(report[1], &e, sizeof e);
    ::_exit(127);
  }
  ::close(devNull);
  ::close(report[1]);
  int childErrno = 0;
  ssize_t n;
  while ((n = ::read(report[0], &childErrno, sizeof childErrno)) < 0 && errno == EINTR) {
  }
  ::close(report[0]);
  if (n > 0) {
    reap(pid);
    throw std::system_error(childErrno, std::generic_category(), "cannot execute " + argv[0]);
  }
  return pid;
}

// Reads what is available on fd into `out`; false at end of file.
bool drain(int fd, std::string& out) {
  char buffer[65536];
  ssize_t n = ::read(fd, buffer, sizeof buffer);
  if (n < 0) return errno == EINTR || errno == EAGAIN;
  out.append(buffer, static_cast<size_t>(n));
  return n > 0;
}

}  // namespace

std::string ExitStatus::describe() const {
  if (signal != 0) return "killed by signal " + std::to_string(signal) + " (" + ::strsignal(signal) + ")";
  return "exit code " + std::to_string(code);
}

ProcessResult runProcess(const std::vector<std::string>& argv, const RunOptions& options) {
  int outPipe[2], errPipe[2];
  if (::pipe2(outPipe, O_CLOEXEC) != 0) throwErrno("pipe2");
  if (::pipe2(errPipe, O_CLOEXEC) != 0) throwErrno("pipe2");
  pid_t pid;
  try {
    pid = spawn(argv, options.env, outPipe[1], errPipe[1]);
  } catch (...) {
    for (int fd : {outPipe[0], outPipe[1], errPipe[0], errPipe[1]}) ::close(fd);
    throw;
  }
  ::close(outPipe[1]);
  ::close(errPipe[1]);

  ProcessResult result;
  Clock::time_point deadline = Clock::now() + options.timeout;
  pollfd fds[2] = {{outPipe[0], POLLIN, 0}, {errPipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      result.timedOut = true;
      break;
    }
    if (::poll(fds, 2, static_cast<int>(left.count()) + 1) < 0 && errno != EINTR) throwErrno("poll");
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      if (!drain(fds[i].fd, *sinks[i])) {
        ::close(fds[i].fd);
        fds[i].fd = -1;  // poll ignores negative fds
      }
    }
  }
  for (const pollfd& p : fds)
    if (p.fd >= 0) ::close(p.fd);

  // Output closed; the child may still linger (or have handed its fds on): give it the rest.
  int wstatus = 0;
  pid_t done = 0;
  while (!result.timedOut && (done = ::waitpid(pid, &wstatus, WNOHANG)) == 0) {
    if (Clock::now() >= deadline) result.timedOut = true;
    else std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (done == pid) {
    result.status = decode(wstatus);
  } else {
    ::kill(pid, SIGKILL);
    result.status = reap(pid);
  }
  return result;
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                                     const std::filesystem::path& outputFile) {
  int out = ::open(outputFile.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (out < 0) throwErrno("open " + outputFile.string());
  try {
    pid_ = spawn(argv, env, out, out);
  } catch (...) {
    ::close(out);
    throw;
  }
  ::close(out);
}

BackgroundProcess::~BackgroundProcess() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  try {
    reap(pid_);
  } catch (...) {  // nothing more to do for a child we cannot wait for
  }
}

bool BackgroundProcess::running() {
  if (status_) return false;
  int wstatus = 0;
  pid_t done = ::waitpid(pid_, &wstatus, WNOHANG);
  if (done == pid_) status_ = decode(wstatus);
  return !status_;
}

void BackgroundProcess::signal(int sig) {
  if (running()) ::kill(pid_, sig);
}

std::optional<ExitStatus> BackgroundProcess::waitFor(std::chrono::milliseconds timeout) {
  Clock::time_point deadline = Clock::now() + timeout;
  while (running()) {
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return status_;
}

}  // namespace tenon::test
