#include "ctr_input.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "built_programs.hpp"

namespace tenon::test {
namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void throwErrno(const std::string& what) { throw std::system_error(errno, std::generic_category(), what); }

// write(2) with SIGPIPE held back: a ctr that exited makes it fail with EPIPE instead of
// killing the test. A SIGPIPE raised meanwhile is taken off the pending set.
ssize_t writeWithoutSigpipe(int fd, const char* data, size_t size) {
  sigset_t pipeSignal, previous;
  sigemptyset(&pipeSignal);
  sigaddset(&pipeSignal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous);
  ssize_t n = ::write(fd, data, size);
  int saved = errno;
  if (n < 0 && errno == EPIPE) {
    timespec none{0, 0};
    sigtimedwait(&pipeSignal, nullptr, &none);
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  errno = saved;
  return n;
}

}  // namespace

CtrWithInput::CtrWithInput(const std::string& address, const std::vector<std::string>& args) {
  int pipeFds[2];
  if (::pipe2(pipeFds, O_CLOEXEC) != 0) throwErrno("pipe2");
  try {
    start(address, args, pipeFds[0]);
  } catch (...) {
    ::close(pipeFds[0]);
    ::close(pipeFds[1]);
    throw;
  }
  ::close(pipeFds[0]);
  input_ = pipeFds[1];
}

CtrWithInput::CtrWithInput(const std::string& address, const std::vector<std::string>& args,
                           const std::string& inputFile) {
  int fd = ::open(inputFile.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throwErrno("open " + inputFile);
  try {
    start(address, args, fd);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
}

CtrWithInput::~CtrWithInput() {
  closeInput();
  if (!status_) kill9();
}

void CtrWithInput::start(const std::string& address, const std::vector<std::string>& args, int input) {
  std::vector<std::string> argv = {kCtr, "--address", address};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> env = environmentWith({"TENON_ADDRESS", "TENON_NAMESPACE"});  // like runCtr
  std::vector<char*> argvC = cStrings(argv), envC = cStrings(env);  // before fork: the child only execs
  int out = ::open((dir_ / "stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int err = ::open((dir_ / "stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out < 0 || err < 0) throwErrno("open ctr output files");
  pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    if (::dup2(input, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) ::_exit(127);
    ::execve(argvC[0], argvC.data(), envC.data());
    ::_exit(127);
  }
  int forkErrno = errno;
  ::close(out);
  ::close(err);
  if (pid_ < 0) {
    errno = forkErrno;
    throwErrno("fork");
  }
}

bool CtrWithInput::feed(std::string_view bytes, std::chrono::milliseconds timeout) {
  if (input_ < 0) throw std::logic_error("ctr's stdin is not a pipe, or is closed");
  Clock::time_point deadline = Clock::now() + timeout;
  while (!bytes.empty()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{input_, POLLOUT, 0};
    if (left <= 0 || (::poll(&p, 1, static_cast<int>(left)) < 0 && errno != EINTR)) return false;
    if (p.revents == 0) continue;
    ssize_t n = writeWithoutSigpipe(input_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void CtrWithInput::closeInput() {
  if (input_ >= 0) ::close(input_);
  input_ = -1;
}

void CtrWithInput::kill9() {
  if (status_ || pid_ < 0) return;
  ::kill(pid_, SIGKILL);
  int wstatus = 0;
  while (::waitpid(pid_, &wstatus, 0) < 0 && errno == EINTR) {
  }
  status_ = decode(wstatus);
}

ProcessResult CtrWithInput::finish(std::chrono::milliseconds timeout) {
  closeInput();
  ProcessResult result;
  Clock::time_point deadline = Clock::now() + timeout;
  while (!status_) {
    int wstatus = 0;
    if (::waitpid(pid_, &wstatus, WNOHANG) == pid_) {
      status_ = decode(wstatus);
    } else if (Clock::now() >= deadline) {
      result.timedOut = true;
      kill9();
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  result.status = *status_;
  result.out = readFile(dir_ / "stdout");
  result.err = readFile(dir_ / "stderr");
  return result;
}

ProcessResult runCtrWithInput(const std::string& address, const std::vector<std::string>& args,
                              const std::string& inputFile) {
  return CtrWithInput(address, args, inputFile).finish();
}

}  // namespace tenon::test
