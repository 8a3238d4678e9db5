#include "registry/blob_download.hpp"

#include <fmt/format.h>

#include <charconv>

#include "registry/url.hpp"

namespace tenon::registry {
namespace {

constexpr int kMaxRedirects = 10;

bool isRedirect(long status) { return status == 301 || status == 302 || status == 303 || status == 307 || status == 308; }

// The first byte of "Content-Range: bytes FIRST-LAST/TOTAL"; -1 when unreadable.
std::int64_t rangeStart(const std::string& contentRange) {
  constexpr std::string_view kUnit = "bytes ";
  if (!contentRange.starts_with(kUnit)) return -1;
  std::int64_t first = -1;
  auto begin = contentRange.data() + kUnit.size();
  auto [end, error] = std::from_chars(begin, contentRange.data() + contentRange.size(), first);
  return error == std::errc() && end != begin && *end == '-' ? first : -1;
}

}  // namespace

BlobDownload::BlobDownload(RepositoryHosts& hosts, const metadata::Descriptor& descriptor, std::int64_t offset,
                           const BlobSink& sink, std::stop_token stop)
    : hosts_(hosts),
      descriptor_(descriptor),
      sink_(sink),
      stop_(std::move(stop)),
      what_(hosts.reference().repository() + "@" + descriptor.digest),
      position_(offset) {
  if (offset < 0 || offset > descriptor.size)
    fail(TENON_INVALID_ARGUMENT, fmt::format("cannot fetch {} from byte {}: it has {} bytes", what_, offset,
                                             descriptor.size));
}

void BlobDownload::attempt(const RegistryHost* host, const std::string& url) {
  if (done()) return;
  if (!interruption_.empty() && position_ > 0)
    hosts_.tell(fmt::format("resuming {} at {} bytes after: {}", descriptor_.digest, position_, interruption_));
  std::int64_t skip = 0;  // bytes of the current answer the sink has had already
  HttpRequest get{.url = url};
  if (position_ > 0) get.headers.push_back(fmt::format("Range: bytes={}-", position_));
  get.onHeaders = [&](const HttpResponse& response) { skip = checkRange(response, get.url); };
  get.sink = [&](std::span<const std::uint8_t> bytes) { deliver(bytes, skip); };
  const std::string registry = host ? urlOrigin(host->base()) : std::string();
  try {
    for (int redirects = 0;; ++redirects) {
      const std::string origin = urlOrigin(get.url);
      HttpResponse response = origin == registry ? hosts_.send(*host, get, hosts_.pullScope(), stop_)
                                                 : perform(hosts_.session(), get, hosts_.limits(), stop_);
      if (isRedirect(response.status) && !response.header("location").empty()) {
        if (redirects == kMaxRedirects)
          fail(TENON_FAILED_PRECONDITION, fmt::format("more than {} redirects for {}", kMaxRedirects, what_));
        get.url = resolveUrl(get.url, response.header("location"));
        continue;
      }
      if (!response.ok()) hosts_.failOn(response, what_, origin);
      if (!done())
        throw RetryableError(fmt::format("{} ended {} at {} of {} bytes", origin, what_, position_, descriptor_.size));
      return;
    }
  } catch (const RetryableError& e) {
    interruption_ = e.what();
    throw;
  }
}

// How many bytes of the answer the sink has had already: none for a 206
// that starts where asked, all before the position for a 200 (a server
// that ignores Range sends the whole blob).
std::int64_t BlobDownload::checkRange(const HttpResponse& response, const std::string& url) const {
  if (response.status != 206) return position_;
  std::string range = response.header("content-range");
  if (rangeStart(range) != position_)
    fail(TENON_FAILED_PRECONDITION, fmt::format("{} answered the range \"{}\" for {} when asked from byte {}",
                                                urlOrigin(url), range, what_, position_));
  return 0;
}

void BlobDownload::deliver(std::span<const std::uint8_t> bytes, std::int64_t& skip) {
  auto skipped = static_cast<std::size_t>(std::min<std::int64_t>(skip, static_cast<std::int64_t>(bytes.size())));
  bytes = bytes.subspan(skipped);
  skip -= static_cast<std::int64_t>(skipped);
  if (bytes.empty()) return;
  if (position_ + static_cast<std::int64_t>(bytes.size()) > descriptor_.size)
    fail(TENON_FAILED_PRECONDITION,
         fmt::format("{} is longer than the {} bytes its descriptor says", what_, descriptor_.size));
  sink_(bytes);
  position_ += static_cast<std::int64_t>(bytes.size());
}

}  // namespace tenon::registry
