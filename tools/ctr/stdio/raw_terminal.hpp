// ctr's own terminal in raw mode while a TTY task is attached (keys go to the
// container's terminal as typed, Ctrl-C included), restored by the destructor.
#pragma once

#include <termios.h>

#include <cstdint>
#include <optional>

namespace tenon::ctr {

struct WindowSize {
  uint32_t width = 0;
  uint32_t height = 0;
};

// The size of the terminal on `fd`, if it is one.
std::optional<WindowSize> windowSize(int fd);

class RawTerminal {
 public:
  // Switches `fd` to raw mode when it is a terminal; does nothing otherwise.
  explicit RawTerminal(int fd);
  ~RawTerminal();
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;

 private:
  int fd_;
  std::optional<termios> saved_;
};

}  // namespace tenon::ctr
