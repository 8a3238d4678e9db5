#include "registry/registry_push.hpp"

#include <fmt/format.h>

#include "registry/encoding.hpp"
#include "registry/url.hpp"

namespace tenon::registry {
namespace {

// Blobs up to this size go in one PUT; bigger ones in PATCH chunks of it, so
// that no single request runs for too long.
constexpr std::int64_t kChunkBytes = std::int64_t{64} << 20;

std::string blobName(const RepositoryHosts& hosts, const metadata::Descriptor& descriptor) {
  return hosts.reference().repository() + "@" + descriptor.digest;
}

// Upload locations may point away from the registry (some put uploads on
// another host): credentials and the host's headers only go to its origin.
HttpResponse sendUpload(RepositoryHosts& hosts, const RegistryHost& host, HttpRequest request, std::stop_token stop) {
  if (urlOrigin(request.url) == urlOrigin(host.base()))
    return hosts.send(host, std::move(request), hosts.pushScope(), stop);
  return perform(hosts.session(), request, hosts.limits(), stop);
}

// The upload's next URL, from the Location of `response` to `url`.
std::string nextLocation(const HttpResponse& response, const std::string& url, const std::string& what,
                         const RegistryHost& host) {
  std::string location = response.header("location");
  if (location.empty())
    fail(TENON_FAILED_PRECONDITION, fmt::format("{} answered the upload of {} without a Location", host.host, what));
  return resolveUrl(url, location);
}

void checkDigestHeader(const HttpResponse& response, const std::string& expected, const std::string& what,
                       const RegistryHost& host) {
  std::string digest = response.header("docker-content-digest");
  if (!digest.empty() && digest != expected)
    fail(TENON_FAILED_PRECONDITION, fmt::format("{} stored {} under the digest {}", host.host, what, digest));
}

HttpRequest octetStream(std::string method, std::string url) {
  return HttpRequest{.method = std::move(method), .url = std::move(url),
                     .headers = {"Content-Type: application/octet-stream"}};
}

// DELETE of an upload we do not want, best effort: the registry expires it anyway.
void cancelUpload(RepositoryHosts& hosts, const RegistryHost& host, const std::string& location, std::stop_token stop) {
  try {
    sendUpload(hosts, host, {.method = "DELETE", .url = location}, stop);
  } catch (const Error& e) {
    if (e.code() == TENON_CANCELLED) throw;
  }
}

// POST /blobs/uploads/: the URL to send the blob to.
std::string startUpload(RepositoryHosts& hosts, const RegistryHost& host, const std::string& what,
                        std::stop_token stop) {
  HttpRequest post{.method = "POST", .url = hosts.url(host, "blobs/uploads/"), .bodySize = 0};
  HttpResponse response = hosts.send(host, post, hosts.pushScope(), stop);
  if (!response.ok()) hosts.failOn(response, what, host.host);
  return nextLocation(response, post.url, what, host);
}

// PATCHes the bytes before the last chunk; the URL to close the upload at.
std::string sendChunks(RepositoryHosts& hosts, const RegistryHost& host, const metadata::Descriptor& descriptor,
                       const BlobReader& reader, std::string location, std::stop_token stop) {
  const std::string what = blobName(hosts, descriptor);
  for (std::int64_t start = 0; start < descriptor.size; start += kChunkBytes) {
    std::int64_t length = std::min(kChunkBytes, descriptor.size - start);
    HttpRequest patch = octetStream("PATCH", location);
    patch.headers.push_back(fmt::format("Content-Range: {}-{}", start, start + length - 1));
    patch.bodySize = length;
    patch.body = [&reader, start](std::int64_t offset, std::span<std::uint8_t> buffer) {
      return reader(start + offset, buffer);
    };
    HttpResponse response = sendUpload(hosts, host, std::move(patch), stop);
    if (!response.ok()) hosts.failOn(response, what, host.host);
    location = nextLocation(response, location, what, host);
  }
  return location;
}

}  // namespace

bool hasBlob(RepositoryHosts& hosts, const metadata::Descriptor& descriptor, std::stop_token stop) {
  bool present = false;
  hosts.eachHost(kPush, stop, [&](const RegistryHost& host) {
    HttpRequest head{.method = "HEAD", .url = hosts.url(host, "blobs/" + descriptor.digest)};
    HttpResponse response = hosts.send(host, head, hosts.pushScope(), stop);
    // A registry serving blobs from elsewhere answers HEAD with that redirect.
    present = response.ok() || response.status == 307 || response.status == 302;
    if (!present && response.status != 404) hosts.failOn(response, blobName(hosts, descriptor), host.host);
  });
  return present;
}

bool mountBlob(RepositoryHosts& hosts, const metadata::Descriptor& descriptor, const std::string& fromRepository,
               std::stop_token stop) {
  bool mounted = false;
  TokenScope scope = hosts.pushScope();
  scope.add("repository:" + fromRepository + ":pull");
  hosts.eachHost(kPush, stop, [&](const RegistryHost& host) {
    std::string url = withQuery(withQuery(hosts.url(host, "blobs/uploads/"), "mount", descriptor.digest), "from",
                                fromRepository);
    HttpResponse response = hosts.send(host, {.method = "POST", .url = url, .bodySize = 0}, scope, stop);
    mounted = response.status == 201;
    if (response.status == 202) {
      // The registry started an upload instead; it would linger until it expires.
      cancelUpload(hosts, host, resolveUrl(url, response.header("location")), stop);
    } else if (!mounted && (response.status == 401 || response.status == 429 || response.status >= 500)) {
      hosts.failOn(response, blobName(hosts, descriptor), host.host);
    }
  });
  return mounted;
}

void uploadBlob(RepositoryHosts& hosts, const metadata::Descriptor& descriptor, const BlobReader& reader,
                std::stop_token stop) {
  const std::string what = blobName(hosts, descriptor);
  hosts.eachHost(kPush, stop, [&](const RegistryHost& host) {
    std::string location = startUpload(hosts, host, what, stop);
    HttpRequest put = octetStream("PUT", "");
    if (descriptor.size > kChunkBytes) {
      location = sendChunks(hosts, host, descriptor, reader, location, stop);
      put.bodySize = 0;
    } else {
      put.bodySize = descriptor.size;
      put.body = reader;
    }
    put.url = withQuery(location, "digest", descriptor.digest);
    HttpResponse response = sendUpload(hosts, host, std::move(put), stop);
    if (!response.ok()) hosts.failOn(response, what, host.host);
    checkDigestHeader(response, descriptor.digest, what, host);
  });
}

void putManifest(RepositoryHosts& hosts, const std::string& tagOrDigest, const metadata::Descriptor& descriptor,
                 const std::string& bytes, std::stop_token stop) {
  const std::string what = hosts.reference().repository() + (tagOrDigest.starts_with("sha256:") ? "@" : ":") +
                           tagOrDigest;
  if (std::string digest = sha256Digest(bytes); digest != descriptor.digest)
    fail(TENON_INVALID_ARGUMENT, fmt::format("manifest for {} has the digest {}, not {}", what, digest,
                                             descriptor.digest));
  hosts.eachHost(kPush, stop, [&](const RegistryHost& host) {
    HttpRequest put{.method = "PUT", .url = hosts.url(host, "manifests/" + tagOrDigest),
                    .headers = {"Content-Type: " + descriptor.mediaType},
                    .bodySize = static_cast<std::int64_t>(bytes.size()), .body = bytesReader(bytes)};
    HttpResponse response = hosts.send(host, std::move(put), hosts.pushScope(), stop);
    if (!response.ok()) hosts.failOn(response, what, host.host);
    checkDigestHeader(response, descriptor.digest, what, host);
  });
}

}  // namespace tenon::registry
