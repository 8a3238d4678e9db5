#include "ctr_terminal.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "built_programs.hpp"

namespace tenon::run_test {

namespace {

using Clock = std::chrono::steady_clock;

int millisLeft(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

}  // namespace

CtrTerminal::CtrTerminal(const std::string& address, const std::vector<std::string>& args, unsigned short rows,
                         unsigned short columns) {
  std::vector<std::string> argv = {test::kCtr, "--address", address};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> env = test::environmentWith({"TENON_ADDRESS", "TENON_NAMESPACE"});  // like runCtr
  std::vector<char*> argvC = test::cStrings(argv), envC = test::cStrings(env);  // before fork: the child only execs
  winsize size{};
  size.ws_row = rows;
  size.ws_col = columns;
  pid_t parent = ::getpid();
  // forkpty: the child is a session leader whose controlling terminal is the new
  // terminal's slave, on its stdin, stdout and stderr; the window size is set first.
  pid_ = ::forkpty(&master_, nullptr, nullptr, &size);
  if (pid_ < 0) throw std::system_error(errno, std::generic_category(), "forkpty");
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::execve(argvC[0], argvC.data(), envC.data());
    ::_exit(127);
  }
  ::fcntl(master_, F_SETFD, FD_CLOEXEC);
  ::fcntl(master_, F_SETFL, ::fcntl(master_, F_GETFL) | O_NONBLOCK);
}

CtrTerminal::~CtrTerminal() {
  if (!reaped()) {
    ::kill(pid_, SIGKILL);
    int wstatus = 0;
    while (::waitpid(pid_, &wstatus, 0) < 0 && errno == EINTR) {
    }
  }
  if (master_ >= 0) ::close(master_);
}

bool CtrTerminal::reaped() {
  if (status_) return true;
  int wstatus = 0;
  if (::waitpid(pid_, &wstatus, WNOHANG) == pid_) status_ = test::decode(wstatus);
  return status_.has_value();
}

void CtrTerminal::resize(unsigned short rows, unsigned short columns) {
  winsize size{};
  size.ws_row = rows;
  size.ws_col = columns;
  if (::ioctl(master_, TIOCSWINSZ, &size) != 0) throw std::system_error(errno, std::generic_category(), "TIOCSWINSZ");
}

bool CtrTerminal::type(std::string_view text) {
  auto deadline = Clock::now() + std::chrono::seconds(10);
  while (!text.empty()) {
    pollfd p{master_, POLLOUT, 0};
    if (::poll(&p, 1, millisLeft(deadline)) <= 0) return false;
    ssize_t n = ::write(master_, text.data(), text.size());
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0) return false;
    text.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool CtrTerminal::readSome(int waitMillis) {
  pollfd p{master_, POLLIN, 0};
  if (::poll(&p, 1, waitMillis) <= 0) return true;
  char buffer[4096];
  ssize_t n = ::read(master_, buffer, sizeof buffer);
  if (n > 0) {
    shown_.append(buffer, static_cast<size_t>(n));
    return true;
  }
  // EIO: every process on the slave side has closed it.
  return n < 0 && (errno == EINTR || errno == EAGAIN);
}

bool CtrTerminal::waitForText(const std::string& text, std::chrono::milliseconds timeout, size_t from) {
  auto deadline = Clock::now() + timeout;
  for (;;) {
    if (shown_.size() > from && shown_.find(text, from) != std::string::npos) return true;
    if (Clock::now() >= deadline) return false;
    if (!readSome(std::min(millisLeft(deadline), 50))) {
      if (shown_.find(text, from) != std::string::npos) return true;
      return false;  // closed: nothing more will show
    }
  }
}

std::optional<test::ExitStatus> CtrTerminal::waitForExit(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  bool open = true;
  while (!reaped()) {
    if (Clock::now() >= deadline) return std::nullopt;
    // Drained while waiting: ctr must never block writing to a full terminal.
    if (open) open = readSome(std::min(millisLeft(deadline), 20));
    else ::usleep(10'000);
  }
  // What ctr wrote just before it exited.
  for (pollfd p{master_, POLLIN, 0}; open && ::poll(&p, 1, 0) > 0; p.revents = 0) open = readSome(0);
  return status_;
}

}  // namespace tenon::run_test
