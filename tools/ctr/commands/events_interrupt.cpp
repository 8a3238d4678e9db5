#include "events_interrupt.hpp"

#include <pthread.h>

#include <tenon/error.hpp>

namespace tenon::ctr {

InterruptSignals::InterruptSignals() {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, SIGTERM);
  if (::pthread_sigmask(SIG_BLOCK, &signals_, nullptr) != 0)
    fail(TENON_INTERNAL, "cannot block SIGINT and SIGTERM");
}

InterruptSignals::~InterruptSignals() {
  if (!waiter_.joinable()) return;
  // Aimed at the waiter, which has them blocked: its sigwait takes it, and a
  // waiter that already returned leaves it pending on a thread about to go.
  ::pthread_kill(waiter_.native_handle(), SIGTERM);
  waiter_.join();
}

kj::Promise<int> InterruptSignals::arrived() {
  auto paf = kj::newPromiseAndCrossThreadFulfiller<int>();
  fulfiller_ = kj::mv(paf.fulfiller);
  waiter_ = std::thread([this] {
    int signal = 0;
    if (::sigwait(&signals_, &signal) == 0) fulfiller_->fulfill(kj::cp(signal));
  });
  return kj::mv(paf.promise);
}

}  // namespace tenon::ctr
