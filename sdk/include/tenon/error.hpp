// C++ side of the error vocabulary, shared by the core and plugins written in C++.
// Errors travel as exceptions carrying one tenon_status; they are turned back
// into a status + message at the C ABI edge (`guard`) and at the RPC edge.
#ifndef TENON_ERROR_HPP
#define TENON_ERROR_HPP

#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>

#include "status.h"

namespace tenon {

class Error : public std::runtime_error {
 public:
  Error(tenon_status code, std::string message) : std::runtime_error(std::move(message)), code_(code) {}
  tenon_status code() const noexcept { return code_; }
  const char* codeName() const noexcept { return tenon_status_name(code_); }

 private:
  tenon_status code_;
};

[[noreturn]] inline void fail(tenon_status code, std::string message) {
  throw Error(code, std::move(message));
}

// Throws the error a C call reported, unless it succeeded.
inline void check(tenon_status status, const tenon_error& err) {
  if (status == TENON_OK) return;
  std::string message = err.code == status && err.message[0] ? err.message : tenon_status_name(status);
  throw Error(status, std::move(message));
}

// Runs `fn` and turns whatever it throws into a status and a message in `err`:
// the one place exceptions stop before crossing into C.
template <class F>
tenon_status guard(tenon_error* err, F&& fn) noexcept {
  try {
    std::forward<F>(fn)();
    return TENON_OK;
  } catch (const Error& e) {
    return tenon_error_set(err, e.code(), "%s", e.what());
  } catch (const std::bad_alloc&) {
    return tenon_error_set(err, TENON_RESOURCE_EXHAUSTED, "out of memory");
  } catch (const std::exception& e) {
    return tenon_error_set(err, TENON_INTERNAL, "%s", e.what());
  } catch (...) {
    return tenon_error_set(err, TENON_INTERNAL, "unknown exception");
  }
}

// guard for functions that report through a sink: `fn` stores what the sink
// returned in `stopped` (a sink stops a walk with a non-OK code), and that
// code, when there is one, wins over OK.
template <class F>
tenon_status guardWithSink(tenon_error* err, tenon_status& stopped, F&& fn) noexcept {
  tenon_status status = guard(err, std::forward<F>(fn));
  return status == TENON_OK ? stopped : status;
}

}  // namespace tenon

#endif  // TENON_ERROR_HPP
