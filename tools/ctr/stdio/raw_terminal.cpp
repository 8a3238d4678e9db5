#include "stdio/raw_terminal.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

namespace tenon::ctr {

std::optional<WindowSize> windowSize(int fd) {
  winsize size{};
  if (::ioctl(fd, TIOCGWINSZ, &size) != 0 || size.ws_col == 0) return std::nullopt;
  return WindowSize{size.ws_col, size.ws_row};
}

RawTerminal::RawTerminal(int fd) : fd_(fd) {
  termios current{};
  if (::isatty(fd) != 1 || ::tcgetattr(fd, &current) != 0) return;
  saved_ = current;
  ::cfmakeraw(&current);
  // Output post-processing stays on: the container's terminal already turns
  // "\n" into "\r\n", but ctr's own messages after the run need it too.
  current.c_oflag |= OPOST;
  ::tcsetattr(fd, TCSANOW, &current);
}

RawTerminal::~RawTerminal() {
  if (saved_) ::tcsetattr(fd_, TCSANOW, &*saved_);
}

}  // namespace tenon::ctr
