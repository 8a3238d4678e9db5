// The RPC edge of the error vocabulary: a tenon::Error (or any exception)
// becomes a Cap'n Proto exception described as "<code>: <message>", the
// convention common.capnp documents and ctr parses.
#pragma once

#include <kj/async.h>
#include <kj/exception.h>

#include <tenon/error.hpp>

namespace tenon::rpc {

// The KJ exception for a status and message.
kj::Exception toKjException(tenon_status code, const std::string& message);

// Runs the synchronous body of an RPC method and turns what it throws into
// the RPC error the client sees.
template <class F>
kj::Promise<void> serve(F&& fn) {
  try {
    fn();
    return kj::READY_NOW;
  } catch (const Error& e) {
    return toKjException(e.code(), e.what());
  } catch (const std::exception& e) {
    return toKjException(TENON_INTERNAL, e.what());
  }
}

// Runs the synchronous start of an asynchronous RPC method (parsing params,
// checking the namespace) and turns what it throws into the RPC error; `fn`
// returns the promise for the rest. Blocking work belongs in WorkerPool::run,
// whose errors arrive converted already.
template <class F>
kj::Promise<void> serveAsync(F&& fn) {
  try {
    return fn();
  } catch (const Error& e) {
    return toKjException(e.code(), e.what());
  } catch (const std::exception& e) {
    return toKjException(TENON_INTERNAL, e.what());
  }
}

}  // namespace tenon::rpc
