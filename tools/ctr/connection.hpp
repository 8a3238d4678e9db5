// One RPC connection to tenond, over its unix socket, for the life of one command.
#ifndef TENON_CTR_CONNECTION_HPP
#define TENON_CTR_CONNECTION_HPP

#include <capnp/rpc-twoparty.h>
#include <kj/async-io.h>
#include <kj/async-unix.h>

#include <string>

#include "common.capnp.h"
#include "options.hpp"
#include "tenon.capnp.h"

namespace tenon::ctr {

class Connection {
 public:
  // Connects to options.address or throws a tenon::Error saying why, in one line.
  explicit Connection(const GlobalOptions& options);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The daemon's bootstrap interface: one getter per service.
  rpc::Tenon::Client& tenon() { return tenon_; }

  // The event loop's signal source: signals captured with
  // kj::UnixEventPort::captureSignal before any thread started arrive here.
  kj::UnixEventPort& eventPort() { return io_.unixEventPort; }

  // Fills the Context every request carries.
  void setContext(rpc::Context::Builder ctx) const;

  // Makes later requests carry `lease` instead of --lease's ("" goes back to --lease's).
  void useLease(std::string lease) { lease_ = std::move(lease); }

  // Runs the event loop until `promise` settles or --timeout runs out.
  template <class T>
  T wait(kj::Promise<T>&& promise);

 private:
  kj::Exception timedOut() const;

  const GlobalOptions& options_;
  std::string lease_;
  kj::AsyncIoContext io_;
  kj::Maybe<kj::TimePoint> deadline_;  // one deadline for connecting and all calls
  kj::Own<kj::AsyncIoStream> stream_;
  capnp::TwoPartyClient client_;
  rpc::Tenon::Client tenon_;
};

template <class T>
T Connection::wait(kj::Promise<T>&& promise) {
  KJ_IF_MAYBE(deadline, deadline_) {
    auto expiry = io_.provider->getTimer().atTime(*deadline).then(
        [this]() -> kj::Promise<T> { return timedOut(); });
    promise = kj::mv(promise).exclusiveJoin(kj::mv(expiry));
  }
  return promise.wait(io_.waitScope);
}

// capnp text as a std::string, for code that outlives the response it came in.
inline std::string toString(capnp::Text::Reader text) { return {text.begin(), text.size()}; }

}  // namespace tenon::ctr

#endif  // TENON_CTR_CONNECTION_HPP
