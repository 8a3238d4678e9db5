#include "metrics/metrics_http_server.hpp"

#include <kj/debug.h>
#include <tenon/error.hpp>

namespace tenon::metrics {

class MetricsHttpServer::Service final : public kj::HttpService {
 public:
  Service(const kj::HttpHeaderTable& headers, Page page) : headers_(headers), page_(std::move(page)) {}

  kj::Promise<void> request(kj::HttpMethod method, kj::StringPtr url, const kj::HttpHeaders&, kj::AsyncInputStream&,
                            Response& response) override {
    if (method != kj::HttpMethod::GET && method != kj::HttpMethod::HEAD)
      return respond(response, 405, "Method Not Allowed", "text/plain; charset=utf-8", "only GET\n", true);
    if (url != "/v1/metrics" && !url.startsWith("/v1/metrics?"))
      return respond(response, 404, "Not Found", "text/plain; charset=utf-8", "the metrics are at /v1/metrics\n", true);
    bool withBody = method == kj::HttpMethod::GET;
    return page_().then(
        [this, &response, withBody](std::string text) {
          return respond(response, 200, "OK", "text/plain; version=0.0.4; charset=utf-8", kj::mv(text), withBody);
        },
        [this, &response](kj::Exception&& e) {
          return respond(response, 500, "Internal Server Error", "text/plain; charset=utf-8",
                         std::string(e.getDescription().cStr()) + "\n", true);
        });
  }

 private:
  kj::Promise<void> respond(Response& response, uint status, kj::StringPtr statusText, kj::StringPtr contentType,
                            std::string body, bool withBody) {
    kj::HttpHeaders headers(headers_);
    headers.set(kj::HttpHeaderId::CONTENT_TYPE, contentType);
    auto stream = response.send(status, statusText, headers, withBody ? kj::Maybe<uint64_t>(body.size()) : nullptr);
    if (!withBody || body.empty()) return kj::READY_NOW;
    auto owned = kj::heap<std::string>(std::move(body));
    auto write = stream->write(owned->data(), owned->size());
    return write.attach(kj::mv(stream), kj::mv(owned));
  }

  const kj::HttpHeaderTable& headers_;
  Page page_;
};

MetricsHttpServer::MetricsHttpServer(kj::AsyncIoContext& io, const std::string& address, Page page)
    : headers_(kj::heap<kj::HttpHeaderTable>()),
      service_(kj::heap<Service>(*headers_, std::move(page))),
      server_(kj::heap<kj::HttpServer>(io.provider->getTimer(), *headers_, *service_)),
      serving_(nullptr) {
  try {
    auto parsed = io.provider->getNetwork().parseAddress(address).wait(io.waitScope);
    listener_ = parsed->listen();
  } catch (const kj::Exception& e) {
    fail(TENON_UNAVAILABLE, "cannot serve metrics at " + address + ": " + e.getDescription().cStr());
  }
  serving_ = server_->listenHttp(*listener_).eagerlyEvaluate([](kj::Exception&& e) {
    KJ_LOG(ERROR, "the metrics endpoint stopped", e);
  });
}

MetricsHttpServer::~MetricsHttpServer() = default;

}  // namespace tenon::metrics
