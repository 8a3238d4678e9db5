#include "pull/foreign_layers.hpp"

#include <nlohmann/json.hpp>
#include <tenon/error.hpp>

namespace tenon::pull {

std::map<std::string, std::vector<std::string>> foreignUrls(std::string_view manifest) {
  std::map<std::string, std::vector<std::string>> out;
  auto json = nlohmann::json::parse(manifest, nullptr, false);
  if (!json.is_object() || !json.contains("layers") || !json["layers"].is_array()) return out;
  for (const auto& layer : json["layers"]) {
    if (!layer.is_object() || !layer.contains("urls") || !layer["urls"].is_array()) continue;
    if (!layer.contains("digest") || !layer["digest"].is_string()) continue;
    for (const auto& url : layer["urls"]) {
      if (!url.is_string()) continue;
      std::string text = url.get<std::string>();
      if (text.starts_with("https://") || text.starts_with("http://"))
        out[layer["digest"].get<std::string>()].push_back(std::move(text));
    }
  }
  return out;
}

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
