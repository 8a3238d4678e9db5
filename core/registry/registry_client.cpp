#include "registry/registry_client.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "registry/blob_download.hpp"
#include "registry/encoding.hpp"
#include "registry/registry_push.hpp"
#include "registry/repository_hosts.hpp"

namespace tenon::registry {
namespace {

constexpr std::array<std::string_view, 4> kManifestTypes = {
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json",
};

std::string acceptManifests() {
  std::string header = "Accept: ";
  for (std::string_view type : kManifestTypes) header += std::string(type) + (type == kManifestTypes.back() ? "" : ", ");
  return header;
}

// Content-Type without its parameters ("; charset=utf-8").
std::string mediaTypeOf(const HttpResponse& response) {
  std::string type = response.header("content-type");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  return type;
}

std::int64_t contentLength(const HttpResponse& response) {
  std::string text = response.header("content-length");
  std::int64_t length = -1;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), length);
  return error == std::errc() && end == text.data() + text.size() ? length : -1;
}

bool isSha256Digest(const std::string& digest) {
  return digest.size() == 71 && digest.starts_with("sha256:") &&
         digest.find_first_not_of("0123456789abcdef", 7) == std::string::npos;
}

// Refuses a manifest whose announced length is over `limit` before any of it is buffered.
std::function<void(const HttpResponse&)> lengthAtMost(std::int64_t limit, std::string what) {
  return [limit, what = std::move(what)](const HttpResponse& response) {
    if (std::int64_t length = contentLength(response); length > limit)
      fail(TENON_RESOURCE_EXHAUSTED, fmt::format("{} is {} bytes, over the limit of {}", what, length, limit));
  };
}

}  // namespace

struct RegistryClient::Impl {
  template <class... Args>
  explicit Impl(Args&&... args) : hosts(std::forward<Args>(args)...) {}

  RepositoryHosts hosts;

  metadata::Descriptor resolveOn(const RegistryHost& host, std::stop_token stop);
};

RegistryClient::RegistryClient(std::shared_ptr<RegistrySession> session, Reference reference,
                               std::vector<RegistryHost> hosts, CredentialLookup credentials, ClientLimits limits,
                               Notice notice)
    : impl_(std::make_unique<Impl>(std::move(session), reference, std::move(hosts), std::move(credentials), limits,
                                   std::move(notice))),
      reference_(std::move(reference)) {}

RegistryClient::~RegistryClient() = default;

metadata::Descriptor RegistryClient::resolve(std::stop_token stop) {
  metadata::Descriptor descriptor;
  unsigned capability = reference_.digest.empty() ? kResolve : kPull;
  impl_->hosts.eachHost(capability, stop, [&](const RegistryHost& host) { descriptor = impl_->resolveOn(host, stop); });
  std::string_view type = descriptor.mediaType;
  if (std::find(kManifestTypes.begin(), kManifestTypes.end(), type) == kManifestTypes.end())
    fail(TENON_INVALID_ARGUMENT,
         fmt::format("{}: unsupported media type \"{}\" (not an OCI or Docker index or manifest)", reference_.text(),
                     descriptor.mediaType));
  if (!reference_.digest.empty() && descriptor.digest != reference_.digest)
    fail(TENON_INVALID_ARGUMENT,
         fmt::format("{}: the registry's manifest has digest {}", reference_.text(), descriptor.digest));
  return descriptor;
}

// HEAD, which registries answer with the digest, size and type; a GET
// (hashed here) when one of them is missing.
metadata::Descriptor RegistryClient::Impl::resolveOn(const RegistryHost& host, std::stop_token stop) {
  const Reference& reference = hosts.reference();
  HttpRequest head{.method = "HEAD", .url = hosts.url(host, "manifests/" + reference.object()),
                   .headers = {acceptManifests()}};
  HttpResponse response = hosts.send(host, head, hosts.pullScope(), stop);
  if (!response.ok()) hosts.failOn(response, reference.text(), host.host);
  metadata::Descriptor descriptor{mediaTypeOf(response), response.header("docker-content-digest"),
                                  contentLength(response), {}};
  if (isSha256Digest(descriptor.digest) && descriptor.size >= 0 && !descriptor.mediaType.empty()) return descriptor;

  std::size_t limit = hosts.limits().maxManifestBytes;
  HttpRequest get{.url = head.url, .headers = head.headers, .maxBody = limit};
  get.onHeaders = lengthAtMost(static_cast<std::int64_t>(limit), "the manifest of " + reference.text());
  response = hosts.send(host, get, hosts.pullScope(), stop);
  if (!response.ok()) hosts.failOn(response, reference.text(), host.host);
  return {mediaTypeOf(response), sha256Digest(response.body), static_cast<std::int64_t>(response.body.size()), {}};
}

std::string RegistryClient::fetchManifest(const metadata::Descriptor& descriptor, std::stop_token stop) {
  const std::string what = reference_.repository() + "@" + descriptor.digest;
  auto limit = static_cast<std::int64_t>(impl_->hosts.limits().maxManifestBytes);
  if (descriptor.size > limit)
    fail(TENON_RESOURCE_EXHAUSTED,
         fmt::format("manifest {} is {} bytes, over the limit of {}", what, descriptor.size, limit));
  if (!isSha256Digest(descriptor.digest))
    fail(TENON_INVALID_ARGUMENT, fmt::format("manifest {}: not a sha256 digest", what));
  std::string bytes;
  impl_->hosts.eachHost(kPull, stop, [&](const RegistryHost& host) {
    HttpRequest get{.url = impl_->hosts.url(host, "manifests/" + descriptor.digest),
                    .headers = {acceptManifests()},
                    .maxBody = static_cast<std::size_t>(descriptor.size)};
    get.onHeaders = lengthAtMost(descriptor.size, "manifest " + what);
    HttpResponse response = impl_->hosts.send(host, get, impl_->hosts.pullScope(), stop);
    if (!response.ok()) impl_->hosts.failOn(response, what, host.host);
    bytes = std::move(response.body);
  });
  if (static_cast<std::int64_t>(bytes.size()) != descriptor.size)
    fail(TENON_FAILED_PRECONDITION,
         fmt::format("manifest {} has {} bytes, its descriptor says {}", what, bytes.size(), descriptor.size));
  if (std::string digest = sha256Digest(bytes); digest != descriptor.digest)
    fail(TENON_FAILED_PRECONDITION, fmt::format("manifest {} has the digest {}", what, digest));
  return bytes;
}

void RegistryClient::fetchBlob(const metadata::Descriptor& descriptor, std::int64_t offset, const BlobSink& sink,
                               std::stop_token stop) {
  BlobDownload download(impl_->hosts, descriptor, offset, sink, stop);
  impl_->hosts.eachHost(kPull, stop, [&](const RegistryHost& host) {
    download.attempt(&host, impl_->hosts.url(host, "blobs/" + descriptor.digest));
  });
}

void RegistryClient::fetchUrl(const std::string& url, const metadata::Descriptor& descriptor, std::int64_t offset,
                              const BlobSink& sink, std::stop_token stop) {
  BlobDownload download(impl_->hosts, descriptor, offset, sink, stop);
  impl_->hosts.retrying(stop, [&] { download.attempt(nullptr, url); });
}

bool RegistryClient::hasBlob(const metadata::Descriptor& descriptor, std::stop_token stop) {
  return registry::hasBlob(impl_->hosts, descriptor, stop);
}

bool RegistryClient::mountBlob(const metadata::Descriptor& descriptor, const std::string& fromRepository,
                               std::stop_token stop) {
  return registry::mountBlob(impl_->hosts, descriptor, fromRepository, stop);
}

void RegistryClient::uploadBlob(const metadata::Descriptor& descriptor, const BlobReader& reader,
                                std::stop_token stop) {
  registry::uploadBlob(impl_->hosts, descriptor, reader, stop);
}

void RegistryClient::putManifest(const std::string& tagOrDigest, const metadata::Descriptor& descriptor,
                                 const std::string& bytes, std::stop_token stop) {
  registry::putManifest(impl_->hosts, tagOrDigest, descriptor, bytes, stop);
}

}  // namespace tenon::registry
