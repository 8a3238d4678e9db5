// SIGINT and SIGTERM as a promise on ctr's event loop, for a command that
// runs until interrupted (`ctr events`): the loop ends, the command returns
// and ctr exits 0 with every line it printed whole, instead of dying mid-line.
// A thread waits for the signals (sigwait) and hands them to the loop through
// a cross-thread fulfiller, which needs nothing of the Connection's internals.
#ifndef TENON_CTR_COMMANDS_EVENTS_INTERRUPT_HPP
#define TENON_CTR_COMMANDS_EVENTS_INTERRUPT_HPP

#include <kj/async.h>
#include <signal.h>

#include <thread>

namespace tenon::ctr {

class InterruptSignals {
 public:
  // Blocks SIGINT and SIGTERM in this thread, and so in threads it starts
  // later. Construct it first, on the thread that will run the event loop.
  InterruptSignals();
  // Stops the waiting thread. The signals stay blocked: a second Ctrl-C
  // during the exit that follows must not kill ctr halfway through it.
  ~InterruptSignals();
  InterruptSignals(const InterruptSignals&) = delete;
  InterruptSignals& operator=(const InterruptSignals&) = delete;

  // Resolves, on this thread's event loop, with the first signal that arrives. Call once.
  kj::Promise<int> arrived();

 private:
  sigset_t signals_;
  kj::Own<kj::CrossThreadPromiseFulfiller<int>> fulfiller_;  // used by the waiter, which ends first
  std::thread waiter_;
};

}  // namespace tenon::ctr

#endif  // TENON_CTR_COMMANDS_EVENTS_INTERRUPT_HPP
