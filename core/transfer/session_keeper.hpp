// Keeps a transfer session (pull, push) alive until its thread has ended,
// even when its call is cancelled. Such a thread may wait on the event loop
// (a credential lookup goes through the client's capability there), so the
// loop must never join it — which destroying the session would do — while
// it runs: a cancelled call only asks the session to stop, and the session
// is let go once its thread said it ended.
#pragma once

#include <kj/async.h>

#include <memory>

namespace tenon::transfer {

class SessionKeeper final : private kj::TaskSet::ErrorHandler {
 public:
  SessionKeeper() : sessions_(*this) {}

  // `Session` has cancel() (any thread) and ended() (resolves once its thread
  // has nothing left to do). Returns `result`, which cancels the session when dropped.
  template <class Session, class T>
  kj::Promise<T> keep(std::shared_ptr<Session> session, kj::Promise<T> result) {
    sessions_.add(session->ended().attach(std::shared_ptr<Session>(session)));
    return result.attach(kj::defer([session] { session->cancel(); }));
  }

 private:
  void taskFailed(kj::Exception&&) override {}  // ended() never fails

  kj::TaskSet sessions_;
};

}  // namespace tenon::transfer
