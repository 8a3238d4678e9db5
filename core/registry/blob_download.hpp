// A blob's bytes streamed to a sink, from the registry or from a foreign
// URL, across retries: each attempt asks for the bytes from where the last
// one broke off (Range), honours 206, skips what it has from a 200, and
// stops at the descriptor's size. Redirects (storage backends send blob
// downloads to S3 and the like) are followed here, not by curl, so that
// Authorization and the host's headers go only to the registry's own
// origin; foreign URLs get neither.
#pragma once

#include <cstdint>
#include <stop_token>
#include <string>

#include "registry/repository_hosts.hpp"

namespace tenon::registry {

class BlobDownload {
 public:
  // Throws invalid_argument for an offset outside the blob.
  BlobDownload(RepositoryHosts& hosts, const metadata::Descriptor& descriptor, std::int64_t offset,
               const BlobSink& sink, std::stop_token stop);

  // Whether every byte has reached the sink.
  bool done() const { return position_ == descriptor_.size; }

  // One attempt from `host`'s /blobs/<digest>, or from `url` (host nullptr).
  // Throws RetryableError for a broken, stalled or short transfer.
  void attempt(const RegistryHost* host, const std::string& url);

 private:
  std::int64_t checkRange(const HttpResponse& response, const std::string& url) const;
  void deliver(std::span<const std::uint8_t> bytes, std::int64_t& skip);

  RepositoryHosts& hosts_;
  const metadata::Descriptor& descriptor_;
  const BlobSink& sink_;
  std::stop_token stop_;
  std::string what_;           // "REPOSITORY@DIGEST", for messages
  std::int64_t position_;      // the next byte the sink wants
  std::string interruption_;  // why the last attempt broke off
};

}  // namespace tenon::registry
