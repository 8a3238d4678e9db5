#include "registry/http_request.hpp"

#include <fmt/format.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <chrono>
#include <cctype>
#include <exception>
#include <memory>

#include "registry/registry_session.hpp"
#include "registry/url.hpp"

namespace tenon::registry {
namespace {

constexpr std::size_t kMaxErrorBody = 64 << 10;

struct Exchange {
  const HttpRequest& request;
  std::stop_token stop;
  HttpResponse response;
  std::int64_t sent = 0;
  std::exception_ptr failure;  // thrown inside a callback, rethrown once curl returns
  // The stall deadline, kept here rather than with CURLOPT_LOW_SPEED_TIME,
  // whose speed averages over a 5 s window and so fires seconds late.
  std::chrono::milliseconds stallTimeout;
  curl_off_t moved = 0;
  std::chrono::steady_clock::time_point lastMoved = std::chrono::steady_clock::now();
  bool stalled = false;
};

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

// "HTTP/1.1 404 Not Found" / "HTTP/2 200": a new answer (after a 1xx one, too).
void startAnswer(HttpResponse& response, std::string_view line) {
  response = {};
  auto space = line.find(' ');
  if (space == std::string_view::npos) return;
  std::string_view rest = line.substr(space + 1);
  for (; !rest.empty() && std::isdigit(static_cast<unsigned char>(rest.front())); rest.remove_prefix(1))
    response.status = response.status * 10 + (rest.front() - '0');
  response.reason = std::string(trimmed(rest));
}

size_t onHeaderLine(char* data, size_t size, size_t count, void* self) {
  auto& exchange = *static_cast<Exchange*>(self);
  std::string_view line = trimmed(std::string_view(data, size * count));
  try {
    if (line.starts_with("HTTP/")) {
      startAnswer(exchange.response, line);
    } else if (line.empty()) {
      if (exchange.response.ok() && exchange.request.onHeaders) exchange.request.onHeaders(exchange.response);
    } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
      std::string name(trimmed(line.substr(0, colon)));
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      exchange.response.headers.emplace_back(std::move(name), trimmed(line.substr(colon + 1)));
    }
  } catch (...) {
    exchange.failure = std::current_exception();
    return 0;
  }
  return size * count;
}

size_t onBody(char* data, size_t size, size_t count, void* self) {
  auto& exchange = *static_cast<Exchange*>(self);
  const HttpRequest& request = exchange.request;
  HttpResponse& response = exchange.response;
  size_t length = size * count;
  try {
    if (!response.ok()) {
      // Enough of an error document for its message.
      response.body.append(data, std::min(length, kMaxErrorBody - std::min(kMaxErrorBody, response.body.size())));
    } else if (request.sink) {
      request.sink({reinterpret_cast<const std::uint8_t*>(data), length});
    } else if (response.body.size() + length <= request.maxBody) {
      response.body.append(data, length);
    } else {
      fail(TENON_RESOURCE_EXHAUSTED, fmt::format("the answer to {} is over {} bytes", request.url, request.maxBody));
    }
  } catch (...) {
    exchange.failure = std::current_exception();
    return 0;
  }
  return length;
}

size_t onRead(char* buffer, size_t size, size_t count, void* self) {
  auto& exchange = *static_cast<Exchange*>(self);
  auto wanted = std::min<std::int64_t>(static_cast<std::int64_t>(size * count), exchange.request.bodySize - exchange.sent);
  if (wanted <= 0) return 0;
  try {
    size_t got = exchange.request.body(exchange.sent, {reinterpret_cast<std::uint8_t*>(buffer), size_t(wanted)});
    exchange.sent += static_cast<std::int64_t>(got);
    return got;
  } catch (...) {
    exchange.failure = std::current_exception();
    return CURL_READFUNC_ABORT;
  }
}

// curl rewinds the body when it must send it again (a connection that
// closed under a reused request).
int onSeek(void* self, curl_off_t offset, int origin) {
  if (origin != SEEK_SET) return CURL_SEEKFUNC_CANTSEEK;
  static_cast<Exchange*>(self)->sent = offset;
  return CURL_SEEKFUNC_OK;
}

// curl calls this at least once a second, moving or not.
int onProgress(void* self, curl_off_t, curl_off_t received, curl_off_t, curl_off_t sent) {
  auto& exchange = *static_cast<Exchange*>(self);
  if (exchange.stop.stop_requested()) return 1;
  auto now = std::chrono::steady_clock::now();
  if (received + sent != exchange.moved) {
    exchange.moved = received + sent;
    exchange.lastMoved = now;
  } else if (now - exchange.lastMoved >= exchange.stallTimeout) {
    exchange.stalled = true;
    return 1;
  }
  return 0;
}

// Adds a host's CA files to the system's store curl has loaded already.
CURLcode addCaFiles(CURL*, void* sslContext, void* host) {
  X509_STORE* store = SSL_CTX_get_cert_store(static_cast<SSL_CTX*>(sslContext));
  for (const std::string& file : static_cast<const RegistryHost*>(host)->caFiles)
    if (X509_STORE_load_file(store, file.c_str()) != 1) return CURLE_SSL_CACERT_BADFILE;
  return CURLE_OK;
}

struct HeaderListFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

void setTls(CURL* curl, const RegistryHost& host) {
  if (host.skipVerify) {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!host.caFiles.empty()) {
    // curl caches the loaded CA store per handle; handles are pooled across
    // hosts, so one host's CAs must not land in that cache.
    curl_easy_setopt(curl, CURLOPT_CA_CACHE_TIMEOUT, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_CTX_FUNCTION, &addCaFiles);
    curl_easy_setopt(curl, CURLOPT_SSL_CTX_DATA, &host);
  }
  if (!host.clientCerts.empty()) {
    const auto& [certificate, key] = host.clientCerts.front();
    curl_easy_setopt(curl, CURLOPT_SSLCERT, certificate.c_str());
    curl_easy_setopt(curl, CURLOPT_SSLKEY, (key.empty() ? certificate : key).c_str());
  }
}

void setLimits(CURL* curl, const RegistryHost* host, const ClientLimits& limits) {
  // A host's dial_timeout counts when it was configured (differs from the default).
  auto connect = host && host->dialTimeout != RegistryHost{}.dialTimeout ? host->dialTimeout : limits.connectTimeout;
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect.count()));
  if (limits.maxBytesPerSecond > 0) {
    curl_easy_setopt(curl, CURLOPT_MAX_RECV_SPEED_LARGE, static_cast<curl_off_t>(limits.maxBytesPerSecond));
    curl_easy_setopt(curl, CURLOPT_MAX_SEND_SPEED_LARGE, static_cast<curl_off_t>(limits.maxBytesPerSecond));
  }
}

void setMethod(CURL* curl, const HttpRequest& request, Exchange& exchange) {
  if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (request.bodySize >= 0) {
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.bodySize));
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, &onRead);
    curl_easy_setopt(curl, CURLOPT_READDATA, &exchange);
    curl_easy_setopt(curl, CURLOPT_SEEKFUNCTION, &onSeek);
    curl_easy_setopt(curl, CURLOPT_SEEKDATA, &exchange);
  }
  if (request.method != "GET" && request.method != "HEAD" && !(request.method == "PUT" && request.bodySize >= 0))
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
}

// The URL without its query, for messages: upload URLs carry session state there.
std::string_view withoutQuery(const std::string& url) { return std::string_view(url).substr(0, url.find('?')); }

}  // namespace

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (key == name) return value;
  return {};
}

std::string HttpResponse::statusText() const {
  return reason.empty() ? std::to_string(status) : fmt::format("{} {}", status, reason);
}

bool TransportError::handshakeFailed() const { return code_ == CURLE_SSL_CONNECT_ERROR; }

HttpResponse perform(RegistrySession& session, const HttpRequest& request, const ClientLimits& limits,
                     std::stop_token stop) {
  PooledHandle handle = session.borrow(urlOrigin(request.url));
  CURL* curl = handle.get();
  Exchange exchange{request, std::move(stop), {}, 0, {}, limits.stallTimeout};
  char error[CURL_ERROR_SIZE] = "";

  std::unique_ptr<curl_slist, HeaderListFree> headers;
  auto addHeader = [&](const std::string& line) {
    curl_slist* grown = curl_slist_append(headers.get(), line.c_str());
    if (!grown) throw std::bad_alloc();
    headers.release();
    headers.reset(grown);
  };
  for (const std::string& line : request.headers) addHeader(line);
  if (request.bodySize >= 0) addHeader("Expect:");  // no 100-continue round trip

  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "tenon");
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &onHeaderLine);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &exchange);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &onBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &exchange);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &onProgress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &exchange);
  setMethod(curl, request, exchange);
  setLimits(curl, request.host, limits);
  if (request.host) setTls(curl, *request.host);

  CURLcode code = curl_easy_perform(curl);
  if (exchange.failure) std::rethrow_exception(exchange.failure);
  if (code == CURLE_ABORTED_BY_CALLBACK && exchange.stop.stop_requested())
    fail(TENON_CANCELLED, fmt::format("{} {}: cancelled", request.method, withoutQuery(request.url)));
  if (code == CURLE_ABORTED_BY_CALLBACK && exchange.stalled)
    throw TransportError(CURLE_OPERATION_TIMEDOUT, fmt::format("{} {}: no byte moved for {} ms", request.method,
                                                               withoutQuery(request.url), limits.stallTimeout.count()));
  if (code != CURLE_OK)
    throw TransportError(code, fmt::format("{} {}: {}", request.method, withoutQuery(request.url),
                                           error[0] ? error : curl_easy_strerror(code)));
  return std::move(exchange.response);
}

BlobReader bytesReader(std::string_view bytes) {
  return [bytes](std::int64_t offset, std::span<std::uint8_t> buffer) {
    auto start = std::min(bytes.size(), static_cast<size_t>(offset));
    auto count = std::min(buffer.size(), bytes.size() - start);
    std::copy_n(bytes.data() + start, count, buffer.data());
    return count;
  };
}

}  // namespace tenon::registry
