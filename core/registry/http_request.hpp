// One HTTP exchange over a pooled curl handle, with the options every
// registry call wants: connect timeout, a stall deadline (no byte moving for
// `stallTimeout`), an optional speed cap, TCP keep-alive, HTTP/2 over TLS
// when offered, only http/https, no redirects followed (the caller decides
// where credentials may go), and the TLS settings of a configured host.
#pragma once

#include <curl/curl.h>

#include <cstdint>
#include <functional>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "registry/registry_client.hpp"
#include "registry/registry_errors.hpp"

namespace tenon::registry {

class RegistrySession;

struct HttpResponse {
  long status = 0;
  std::string reason;                                        // "Not Found"; "" over HTTP/2
  std::vector<std::pair<std::string, std::string>> headers;  // names lower case, in order
  std::string body;  // the body, unless the request sent a 2xx one to its sink

  bool ok() const { return status >= 200 && status < 300; }
  // The first value of header `name` (lower case), "" when absent.
  std::string header(std::string_view name) const;
  // "404 Not Found"
  std::string statusText() const;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers{};  // "Name: value"
  // Whose TLS settings apply (CA files, client certificate, skip_verify,
  // dial_timeout); nullptr for the system's defaults.
  const RegistryHost* host = nullptr;
  // The body to send: `bodySize` bytes read from `body`; -1 for none.
  std::int64_t bodySize = -1;
  BlobReader body{};
  // Called once the headers of a 2xx answer are in, before its body; may
  // throw to refuse the answer (a Content-Length over a limit, a bad range).
  std::function<void(const HttpResponse&)> onHeaders{};
  // Where a 2xx answer's body goes as it arrives; unset: into
  // HttpResponse::body, which may hold at most `maxBody` bytes (more is an
  // error). Other answers' bodies are kept up to 64 KiB, for their message.
  BlobSink sink{};
  std::size_t maxBody = std::size_t{1} << 20;
};

// No answer came: the connection could not be made, broke off, or stalled.
class TransportError : public RetryableError {
 public:
  TransportError(CURLcode code, std::string message) : RetryableError(std::move(message)), code_(code) {}
  CURLcode curlCode() const { return code_; }
  // Whether the TLS handshake failed (as it does against a plain-HTTP server).
  bool handshakeFailed() const;

 private:
  CURLcode code_;
};

// Performs `request`. Throws TransportError, cancelled once `stop` is
// requested, or whatever `onHeaders`, `sink` or `body` threw.
HttpResponse perform(RegistrySession& session, const HttpRequest& request, const ClientLimits& limits,
                     std::stop_token stop);

// A body reader over bytes that outlive the request.
BlobReader bytesReader(std::string_view bytes);

}  // namespace tenon::registry
