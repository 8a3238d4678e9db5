#include "pull/foreign_layers.hpp"

#include <tenon/error.hpp>

namespace tenon::pull {

BlobFetch foreignFetch(registry::RegistryClient& client, std::vector<std::string> urls, registry::Notice notice) {
  return [&client, urls = std::move(urls), notice = std::move(notice)](
             const metadata::Descriptor& blob, std::int64_t offset, const registry::BlobSink& sink,
             std::stop_token stop) {
    bool sinkFailed = false;
    auto counted = [&](std::span<const std::uint8_t> chunk) {
      try {
        sink(chunk);
      } catch (...) {
        sinkFailed = true;
        throw;
      }
      offset += static_cast<std::int64_t>(chunk.size());
    };
    for (const std::string& url : urls) {
      try {
        client.fetchUrl(url, blob, offset, counted, stop);
        return;
      } catch (const Error& e) {
        if (sinkFailed || e.code() == TENON_CANCELLED) throw;
        if (notice) notice(url + " failed (" + e.what() + "): trying the next source");
      }
    }
    client.fetchBlob(blob, offset, counted, stop);
  };
}

}  // namespace tenon::pull
