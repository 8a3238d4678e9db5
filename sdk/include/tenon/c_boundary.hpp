// Checks on what crosses the C ABI, for both sides of it: a plugin checking
// the arguments it is given, and a caller turning std::strings into C strings
// and calling functions a table may leave NULL, whose answers come through
// callbacks (sinks).
#ifndef TENON_C_BOUNDARY_HPP
#define TENON_C_BOUNDARY_HPP

#include <exception>
#include <string>
#include <string_view>
#include <utility>

#include "error.hpp"

namespace tenon {

// Plugin side: a string argument; invalid_argument naming `what` when NULL.
inline std::string_view argText(const char* s, const char* what) {
  if (s == nullptr) fail(TENON_INVALID_ARGUMENT, std::string(what) + " is NULL");
  return s;
}

// Plugin side: a pointer argument; invalid_argument naming `what` when NULL.
template <class T>
T& argRequired(T* p, const char* what) {
  if (p == nullptr) fail(TENON_INVALID_ARGUMENT, std::string(what) + " is NULL");
  return *p;
}

// Caller side: `s` as a NUL-terminated string; one holding a NUL would arrive
// cut short, so it is invalid_argument naming `what`.
inline const char* cString(const std::string& s, const char* what) {
  if (s.find('\0') != std::string::npos) fail(TENON_INVALID_ARGUMENT, std::string(what) + " holds a NUL byte");
  return s.c_str();
}

// Caller side: a string a plugin returned, NULL read as "".
inline std::string copyText(const char* s) { return s ? s : ""; }

// Caller side: function `name` of a table, or not_implemented: "the <service> does not implement <name>".
template <class Fn>
Fn requireFunction(Fn fn, const char* service, const char* name) {
  if (fn == nullptr) fail(TENON_NOT_IMPLEMENTED, std::string("the ") + service + " does not implement " + name);
  return fn;
}

// Caller side: a tenon_error ready to pass to a table function.
struct ErrorRecord {
  tenon_error err;
  ErrorRecord() { tenon_error_init(&err); }
};

// Caller side: a C sink (`&CallbackSink::call`, with the sink as its ctx) over
// a C++ callable. What the callable throws never crosses the C edge: it is
// kept, stops the plugin's loop (TENON_CANCELLED), and check() rethrows it.
template <class Visit, class... Args>
struct CallbackSink {
  Visit visit;
  std::exception_ptr thrown = nullptr;
  bool called = false;  // whether the plugin called it at all

  static tenon_status call(void* ctx, Args... args) noexcept {
    auto* self = static_cast<CallbackSink*>(ctx);
    try {
      self->called = true;
      self->visit(args...);
      return TENON_OK;
    } catch (...) {
      self->thrown = std::current_exception();
      return TENON_CANCELLED;
    }
  }
  // The call's outcome: the sink's exception first, then the status.
  void check(tenon_status status, const tenon_error& err) const {
    if (thrown) std::rethrow_exception(thrown);
    tenon::check(status, err);
  }
};

// A CallbackSink taking `Args...`: callbackSink<const tenon_x*>([&](const tenon_x* x) { ... }).
template <class... Args, class Visit>
CallbackSink<Visit, Args...> callbackSink(Visit visit) {
  return {std::move(visit)};
}

}  // namespace tenon

#endif  // TENON_C_BOUNDARY_HPP
