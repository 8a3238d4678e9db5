// The stdio of one container process, as the shim holds it. tenon never
// copies stdio into logs: it goes from the process to the client's FIFOs.
//
// Without a TTY the process's fds 0-2 are the client's FIFOs themselves:
//  - stdout and stderr are opened O_RDWR, because open(2) of a FIFO for
//    writing alone blocks until a reader comes, and O_RDWR never does; the
//    shim keeps no copy, so the client reads EOF once the process is gone;
//  - stdin is opened for reading (non-blocking to open, then blocking for the
//    process) plus a write side the shim keeps: while it is open the process
//    waits for input instead of reading EOF before the client has opened the
//    FIFO; close_stdin closes it, so the process reads EOF once the client
//    has closed its end too (containerd's trick, with the same reason).
// With a TTY the process gets the pty slave (the runtime sets it up) and the
// shim copies stdin FIFO -> master and master -> stdout FIFO; stderr is the
// same terminal.
#pragma once

#include <cstdint>
#include <memory>
#include <tenon/unique_fd.hpp>

#include "common/child_process.hpp"
#include "common/shim_protocol.hpp"
#include "shim/event_loop.hpp"
#include "shim/pump.hpp"

namespace tenon::runtime_runc::shim {

class ProcessStdio {
 public:
  // Opens the FIFOs `io` names; throws tenon::Error naming one that cannot be opened.
  explicit ProcessStdio(const ProcessIo& io);

  bool terminal() const { return io_.terminal; }
  // What the runtime command gets as its fds 0-2: the process's own without
  // a TTY (the runtime hands them on), /dev/null with one.
  ChildStdio childStdio() const;
  // The runtime has started the process: the shim drops its copies of the process's fds.
  void released();
  // With a TTY: starts copying between the FIFOs and `master`.
  void attachTerminal(UniqueFd master, EventLoop& loop);
  // TIOCSWINSZ on the master; failed_precondition without a TTY.
  void resize(uint16_t width, uint16_t height);
  // Closes the shim's write side of stdin, so that the process reads EOF.
  void closeStdin();
  // The process exited: its last TTY output goes into the stdout FIFO now,
  // and the stdin write side is let go.
  void processExited();

 private:
  void sendEndOfInput();

  ProcessIo io_;
  UniqueFd stdin_;        // the process's side (no TTY) or the pump's source (TTY)
  UniqueFd stdinKeeper_;  // the shim's write side of the stdin FIFO
  UniqueFd stdout_;
  UniqueFd stderr_;
  UniqueFd master_;
  std::unique_ptr<Pump> input_;
  std::unique_ptr<Pump> output_;
};

}  // namespace tenon::runtime_runc::shim
