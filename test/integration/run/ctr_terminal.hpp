// ctr on a pseudo-terminal of the test's own, as a user at a terminal runs
// `ctr run -t`: its stdin, stdout and stderr are the terminal, the window has
// the size the test gives before ctr starts, and the test types and reads what
// the terminal shows.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "process.hpp"

namespace tenon::run_test {

class CtrTerminal {
 public:
  // Starts `ctr --address <address> args...` as the session leader of a new
  // terminal of `rows` x `columns`.
  CtrTerminal(const std::string& address, const std::vector<std::string>& args, unsigned short rows,
              unsigned short columns);
  // Kills ctr (SIGKILL) if it still runs, and closes the terminal.
  ~CtrTerminal();
  CtrTerminal(const CtrTerminal&) = delete;
  CtrTerminal& operator=(const CtrTerminal&) = delete;

  pid_t pid() const { return pid_; }
  // Changes the window's size, as a user resizing the terminal does: the
  // kernel sends ctr SIGWINCH.
  void resize(unsigned short rows, unsigned short columns);
  // Types `text` (false when the terminal would not take it).
  bool type(std::string_view text);
  // Reads what the terminal shows until it holds `text` (counting from
  // offset `from` of everything shown), at most `timeout`; true when it does.
  bool waitForText(const std::string& text, std::chrono::milliseconds timeout, size_t from = 0);
  // Everything the terminal showed so far.
  const std::string& shown() const { return shown_; }
  // Keeps reading the terminal until ctr exits, at most `timeout`: its status,
  // nullopt when it still runs.
  std::optional<test::ExitStatus> waitForExit(std::chrono::milliseconds timeout);

 private:
  // Reads what is there, waiting at most `waitMillis` for it; false once the
  // terminal is closed on ctr's side.
  bool readSome(int waitMillis);
  bool reaped();

  int master_ = -1;
  pid_t pid_ = -1;
  std::optional<test::ExitStatus> status_;
  std::string shown_;
};

}  // namespace tenon::run_test
