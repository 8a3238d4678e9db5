// Checks on what crosses the C ABI, for both sides of it: a plugin checking
// the arguments it is given, and a caller turning std::strings into C strings
// and calling functions a table may leave NULL.
#ifndef TENON_C_BOUNDARY_HPP
#define TENON_C_BOUNDARY_HPP

#include <string>
#include <string_view>

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

}  // namespace tenon

#endif  // TENON_C_BOUNDARY_HPP
