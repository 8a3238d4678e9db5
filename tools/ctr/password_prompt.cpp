#include "password_prompt.hpp"

#include <fmt/core.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <tenon/error.hpp>

namespace tenon::ctr {
namespace {

// Turns the terminal's echo off for as long as it lives.
class EchoOff {
 public:
  explicit EchoOff(int fd) : fd_(fd) {
    if (::tcgetattr(fd_, &saved_) != 0)
      fail(TENON_INTERNAL, fmt::format("cannot read the terminal's settings: {}", std::strerror(errno)));
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    if (::tcsetattr(fd_, TCSAFLUSH, &quiet) != 0)
      fail(TENON_INTERNAL, fmt::format("cannot turn the terminal's echo off: {}", std::strerror(errno)));
  }
  ~EchoOff() { ::tcsetattr(fd_, TCSAFLUSH, &saved_); }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  int fd_;
  termios saved_{};
};

}  // namespace

std::string readPassword(const std::string& prompt) {
  if (::isatty(STDIN_FILENO) != 1)
    fail(TENON_INVALID_ARGUMENT,
         "stdin is not a terminal to ask for the password on: give it as --user USER:PASSWORD");
  fmt::print(stderr, "{}", prompt);
  std::fflush(stderr);
  EchoOff echoOff(STDIN_FILENO);
  std::string line;
  for (char c;;) {
    ssize_t n = ::read(STDIN_FILENO, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(TENON_INTERNAL, fmt::format("cannot read the password: {}", std::strerror(errno)));
    if (n == 0 || c == '\n') break;
    line += c;
  }
  return line;
}

}  // namespace tenon::ctr
