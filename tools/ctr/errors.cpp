#include "errors.hpp"

#include <fmt/core.h>
#include <kj/exception.h>
#include <kj/string.h>
#include <tenon/error.hpp>

#include <algorithm>
#include <string_view>

namespace tenon::ctr {
namespace {

// capnp prefixes the description of every exception that crossed the wire with this,
// once per hop; it tells the user nothing.
constexpr std::string_view kRemotePrefix = "remote exception: ";

std::string oneLine(std::string_view text) {
  std::string line(text);
  std::replace(line.begin(), line.end(), '\n', ' ');
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

bool isKnownCode(std::string_view word) {
  for (tenon_status code = TENON_OK + 1; code < TENON_STATUS_COUNT; ++code)
    if (word == tenon_status_name(code)) return true;
  return false;
}

// The server follows common.capnp: "<code>: <message>". Anything else is kept whole.
bool splitCode(std::string_view description, Failure& failure) {
  size_t colon = description.find(": ");
  if (colon == std::string_view::npos || !isKnownCode(description.substr(0, colon))) return false;
  failure.code = std::string(description.substr(0, colon));
  failure.message = oneLine(description.substr(colon + 2));
  return true;
}

Failure describeKj(const kj::Exception& e) {
  std::string_view description(e.getDescription().cStr(), e.getDescription().size());
  bool remote = false;
  while (description.starts_with(kRemotePrefix)) {
    description.remove_prefix(kRemotePrefix.size());
    remote = true;
  }
  Failure failure;
  failure.origin = fmt::format("kj {} exception at {}:{}: {}", kj::str(e.getType()).cStr(), e.getFile(),
                               e.getLine(), oneLine(e.getDescription().cStr()));
  if (splitCode(description, failure)) return failure;

  // No code, so not from tenond's own logic: say what capnp's exception type means, and keep
  // its text (syscall names, type ids) for --debug.
  failure.message = oneLine(description);
  switch (e.getType()) {
    case kj::Exception::Type::DISCONNECTED:
      failure.code = tenon_status_name(TENON_UNAVAILABLE);
      if (!remote) failure.message = "lost the connection to tenond (did it exit?)";
      break;
    case kj::Exception::Type::OVERLOADED:
      failure.code = tenon_status_name(TENON_UNAVAILABLE);
      break;
    case kj::Exception::Type::UNIMPLEMENTED:
      failure.code = tenon_status_name(TENON_NOT_IMPLEMENTED);
      failure.message = "tenond does not implement this request (it may be older than ctr)";
      break;
    default:
      failure.code = tenon_status_name(TENON_INTERNAL);
  }
  return failure;
}

}  // namespace

Failure describe(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const kj::Exception& e) {
    return describeKj(e);
  } catch (const tenon::Error& e) {
    return {e.codeName(), oneLine(e.what()), "ctr"};
  } catch (const std::exception& e) {
    return {tenon_status_name(TENON_INTERNAL), oneLine(e.what()), "std::exception"};
  } catch (...) {
    return {tenon_status_name(TENON_INTERNAL), "unknown error", "unknown exception"};
  }
}

void report(const Failure& failure, bool debug) {
  fmt::print(stderr, "ctr: {}\n", failure.message);
  if (debug) fmt::print(stderr, "ctr: debug: code {}, raised by {}\n", failure.code, failure.origin);
}

}  // namespace tenon::ctr
