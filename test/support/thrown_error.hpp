// What a call throws, for tests that check the error a call fails with.
#pragma once

#include <tenon/error.hpp>

namespace tenon::test {

// The tenon::Error `fn` throws; code TENON_OK when it throws none.
template <class F>
Error errorFrom(F&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e;
  }
  return Error(TENON_OK, "nothing was thrown");
}

// The code of the tenon::Error `fn` throws; TENON_OK when it throws none.
template <class F>
tenon_status codeOf(F&& fn) {
  return errorFrom(std::forward<F>(fn)).code();
}

}  // namespace tenon::test
