// How a registry's answers become tenon errors. The distribution spec's
// error document ({"errors":[{"code","message","detail"}]}) supplies the
// message; the status picks the code: 404 not_found, 401 / 403
// permission_denied, 429 / 5xx unavailable and worth another attempt.
#pragma once

#include <chrono>
#include <string>
#include <tenon/error.hpp>

namespace tenon::registry {

struct HttpResponse;

// A failure another attempt may cure: no answer at all (a refused, broken or
// stalled connection), or an answer of 429 / 5xx.
class RetryableError : public Error {
 public:
  explicit RetryableError(std::string message, std::chrono::milliseconds retryAfter = {})
      : Error(TENON_UNAVAILABLE, std::move(message)), retryAfter_(retryAfter) {}
  // What the server asked us to wait (Retry-After), 0 when it did not say.
  std::chrono::milliseconds retryAfter() const { return retryAfter_; }

 private:
  std::chrono::milliseconds retryAfter_;
};

// "CODE: message; CODE: message" from a registry's error document, else
// the body itself when it is short text, else "".
std::string registryMessage(const HttpResponse& response);

// Throws what `response` (not 2xx) means for `what` (the reference or
// digest asked for) on `host` of `repository`:
//   404        not_found "WHAT: not found"
//   401        permission_denied "unauthorized: MESSAGE (REPOSITORY on HOST)"
//   403        permission_denied "denied: MESSAGE (REPOSITORY on HOST)"
//   429, 5xx   RetryableError "HOST answered STATUS for WHAT: MESSAGE"
//   others     failed_precondition, worded like the last
[[noreturn]] void failOnAnswer(const HttpResponse& response, const std::string& what, const std::string& repository,
                               const std::string& host);

}  // namespace tenon::registry
