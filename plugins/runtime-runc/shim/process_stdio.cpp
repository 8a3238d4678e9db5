#include "shim/process_stdio.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <tenon/error.hpp>

namespace tenon::runtime_runc::shim {

namespace {

UniqueFd openPath(const std::string& path, int flags, const char* what) {
  if (path.empty() || path[0] != '/')
    fail(TENON_INVALID_ARGUMENT, std::string(what) + " path \"" + path + "\" is not absolute");
  UniqueFd fd(::open(path.c_str(), flags | O_CLOEXEC | O_NOCTTY));
  if (!fd)
    fail(errno == ENOENT ? TENON_NOT_FOUND : TENON_INTERNAL,
         std::string("cannot open the ") + what + " FIFO " + path + ": " + std::strerror(errno));
  return fd;
}

UniqueFd openDevNull() {
  UniqueFd fd(::open("/dev/null", O_RDWR | O_CLOEXEC));
  if (!fd) fail(TENON_INTERNAL, std::string("cannot open /dev/null: ") + std::strerror(errno));
  return fd;
}

void setBlocking(int fd, bool blocking) {
  int flags = ::fcntl(fd, F_GETFL);
  ::fcntl(fd, F_SETFL, blocking ? flags & ~O_NONBLOCK : flags | O_NONBLOCK);
}

UniqueFd duplicate(int fd) {
  UniqueFd copy(::fcntl(fd, F_DUPFD_CLOEXEC, 3));
  if (!copy) fail(TENON_INTERNAL, std::string("dup: ") + std::strerror(errno));
  return copy;
}

}  // namespace

ProcessStdio::ProcessStdio(const ProcessIo& io) : io_(io) {
  if (!io.stdinPath.empty()) {
    // Read side first: opening the write side without a reader would fail (ENXIO).
    stdin_ = openPath(io.stdinPath, O_RDONLY | O_NONBLOCK, "stdin");
    stdinKeeper_ = openPath(io.stdinPath, O_WRONLY | O_NONBLOCK, "stdin");
    // The flag lives in the open file description the process shares.
    if (!io.terminal) setBlocking(stdin_.get(), true);
  }
  int outFlags = io.terminal ? O_RDWR | O_NONBLOCK : O_RDWR;
  stdout_ = io.stdoutPath.empty() ? openDevNull() : openPath(io.stdoutPath, outFlags, "stdout");
  if (!io.terminal) stderr_ = io.stderrPath.empty() ? openDevNull() : openPath(io.stderrPath, O_RDWR, "stderr");
  if (!stdin_ && !io.terminal) stdin_ = openDevNull();
}

ChildStdio ProcessStdio::childStdio() const {
  if (io_.terminal) return {};
  return {stdin_.get(), stdout_.get(), stderr_.get()};
}

void ProcessStdio::released() {
  if (io_.terminal) return;
  stdin_.reset();
  stdout_.reset();
  stderr_.reset();
}

void ProcessStdio::attachTerminal(UniqueFd master, EventLoop& loop) {
  master_ = std::move(master);
  output_ = std::make_unique<Pump>(loop, duplicate(master_.get()), std::move(stdout_));
  if (stdin_)
    input_ = std::make_unique<Pump>(loop, std::move(stdin_), duplicate(master_.get()), [this] { sendEndOfInput(); });
}

void ProcessStdio::resize(uint16_t width, uint16_t height) {
  if (!master_) fail(TENON_FAILED_PRECONDITION, "the process has no terminal to resize");
  winsize size{};
  size.ws_col = width;
  size.ws_row = height;
  if (::ioctl(master_.get(), TIOCSWINSZ, &size) != 0)
    fail(TENON_INTERNAL, std::string("cannot resize the terminal: ") + std::strerror(errno));
}

void ProcessStdio::closeStdin() {
  stdinKeeper_.reset();
  // No stdin FIFO to reach EOF on: tell the terminal directly.
  if (io_.terminal && !input_) sendEndOfInput();
}

// A terminal has no EOF of its own: its reader sees one when VEOF (^D) is typed.
void ProcessStdio::sendEndOfInput() {
  if (!master_) return;
  termios tio{};
  char eof = ::tcgetattr(master_.get(), &tio) == 0 ? static_cast<char>(tio.c_cc[VEOF]) : '\x04';
  (void)::write(master_.get(), &eof, 1);
}

void ProcessStdio::processExited() {
  stdinKeeper_.reset();
  input_.reset();
  if (output_) output_->copyNow();
}

}  // namespace tenon::runtime_runc::shim
