// The Prometheus endpoint: a small HTTP/1.1 server (kj-http) on the daemon's
// event loop, answering GET /v1/metrics with the page a callback produces
// (off the loop: collecting blocks) and 404 for any other path.
#pragma once

#include <kj/async-io.h>
#include <kj/compat/http.h>

#include <functional>
#include <string>

namespace tenon::metrics {

class MetricsHttpServer {
 public:
  // The page's text, resolved when collected.
  using Page = std::function<kj::Promise<std::string>()>;

  // Binds `address` ("127.0.0.1:1338") now, so that a busy or bad address stops
  // the daemon at start, and serves until destroyed.
  MetricsHttpServer(kj::AsyncIoContext& io, const std::string& address, Page page);
  ~MetricsHttpServer();

 private:
  class Service;

  kj::Own<kj::HttpHeaderTable> headers_;
  kj::Own<Service> service_;
  kj::Own<kj::HttpServer> server_;
  kj::Own<kj::ConnectionReceiver> listener_;
  kj::Promise<void> serving_;
};

}  // namespace tenon::metrics
