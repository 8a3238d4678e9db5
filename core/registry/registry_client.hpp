// One repository of one registry, spoken to over the OCI distribution API
// (https://github.com/opencontainers/distribution-spec) through libcurl:
// connections are reused across calls and threads (HTTP/1.1 keep-alive,
// HTTP/2 where the server offers it over TLS), TLS verified with the system
// CA store plus the host's CA files.
//
// Every call may be made from several threads at once. Hosts are tried in
// order (mirrors first): a host that fails to connect, times out, stalls, or
// answers 5xx after the retries moves the call to the next host with the
// capability; 404 / 401 / 403 from the last host are final.
//
// Auth: a request answered 401 with `WWW-Authenticate: Basic` is retried
// with the credentials the lookup gives for that host; with `Bearer
// realm=...,service=...,scope=...` a token is fetched from the realm (GET,
// with Basic credentials of the registry's host when it has some; POST of an
// OAuth2 refresh-token form for an identity token), cached per (host, scope)
// until it expires, and the request retried with it. An Authorization header
// is only ever sent to the host it belongs to: never to a redirect target on
// another host (blob redirects to storage are followed without it), nor to a
// foreign URL.
//
// Retries: a dropped connection, a stall (no byte for `stallTimeout`), or a
// 5xx / 429 is retried `retries` times with exponential backoff (from
// `backoff`), a blob download resuming where it broke off (HTTP Range).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <stop_token>
#include <string>
#include <vector>

#include "metadata/images.hpp"
#include "registry/credentials.hpp"
#include "registry/hosts.hpp"
#include "registry/reference.hpp"

namespace tenon::registry {

struct ClientLimits {
  std::chrono::milliseconds connectTimeout{30000};  // a host's dial_timeout wins when set
  std::chrono::milliseconds stallTimeout{30000};    // no byte received (or sent) for this long
  int retries = 3;                                  // per host, after the first attempt
  std::chrono::milliseconds backoff{250};           // doubled after each retry
  std::int64_t maxBytesPerSecond = 0;               // per transfer, 0 for no limit
  std::size_t maxManifestBytes = std::size_t{20} << 20;  // manifests and indexes (CVE-2023-25153)
};

// Something worth telling the user while a call goes on: "retrying ...",
// "resuming at N bytes", "trying the next host ...". Any thread.
using Notice = std::function<void(const std::string&)>;

// Receives a blob's bytes in order; throwing stops the transfer (with that error).
using BlobSink = std::function<void(std::span<const std::uint8_t>)>;

// Fills the buffer with the blob's bytes from `offset`; the count, 0 at the end.
using BlobReader = std::function<std::size_t(std::int64_t offset, std::span<std::uint8_t> buffer)>;

// Tokens and connections kept across clients (one per daemon), so that a
// second pull from the same registry reuses both. Thread-safe.
class RegistrySession;
std::shared_ptr<RegistrySession> makeRegistrySession();

class RegistryClient {
 public:
  // Errors name `reference.repository()` and the host.
  RegistryClient(std::shared_ptr<RegistrySession> session, Reference reference, std::vector<RegistryHost> hosts,
                 CredentialLookup credentials, ClientLimits limits = {}, Notice notice = {});
  ~RegistryClient();
  RegistryClient(const RegistryClient&) = delete;
  RegistryClient& operator=(const RegistryClient&) = delete;

  // The descriptor reference.object() names (HEAD, else GET, of
  // /manifests/<object> with Accept for OCI and Docker indexes and
  // manifests), on the hosts with kResolve (for a digest, kPull is enough).
  // Throws not_found "REF: not found", permission_denied ("unauthorized: ..."
  // for 401 once credentials were tried or none exist, "denied: ..." for 403), invalid_argument for a media type that is not an index or a
  // manifest, or a digest that differs from the reference's.
  metadata::Descriptor resolve(std::stop_token stop = {});

  // The bytes of the manifest or index `descriptor`, by digest, checked
  // against its size (and maxManifestBytes) and digest.
  std::string fetchManifest(const metadata::Descriptor& descriptor, std::stop_token stop = {});

  // Streams blob `descriptor` from `offset` into `sink` until its size is
  // reached; resumes with Range on retries (a server that ignores Range has
  // the bytes before the resume point skipped). Does not hash: the caller's
  // store verifies. Throws not_found for 404, data_loss-like internal errors
  // once retries and hosts are spent, cancelled when `stop` is triggered.
  void fetchBlob(const metadata::Descriptor& descriptor, std::int64_t offset, const BlobSink& sink,
                 std::stop_token stop = {});

  // Fetches `url` (a foreign layer's) without any credentials or configured headers.
  void fetchUrl(const std::string& url, const metadata::Descriptor& descriptor, std::int64_t offset,
                const BlobSink& sink, std::stop_token stop = {});

  // Whether the repository has blob `digest` (HEAD /blobs/<digest>), on hosts with kPush.
  bool hasBlob(const metadata::Descriptor& descriptor, std::stop_token stop = {});
  // Asks to mount `descriptor` from `fromRepository` (a path in the same
  // registry): true when mounted (201); false when the registry started an
  // upload instead (202: that upload is cancelled) or refused.
  bool mountBlob(const metadata::Descriptor& descriptor, const std::string& fromRepository, std::stop_token stop = {});
  // Uploads the blob: POST, then one PUT for blobs up to 64 MiB, else PATCH chunks and the closing PUT.
  void uploadBlob(const metadata::Descriptor& descriptor, const BlobReader& reader, std::stop_token stop = {});
  // PUT /manifests/<tagOrDigest> with descriptor.mediaType as Content-Type;
  // checks the registry's Docker-Content-Digest when it sends one.
  void putManifest(const std::string& tagOrDigest, const metadata::Descriptor& descriptor, const std::string& bytes,
                   std::stop_token stop = {});

  const Reference& reference() const { return reference_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  Reference reference_;
};

}  // namespace tenon::registry
