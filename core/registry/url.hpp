// The little URL handling the registry client does itself (through curl's
// URL parser): following Location headers, and deciding whether a URL is
// still on the origin credentials belong to.
#pragma once

#include <string>
#include <string_view>

namespace tenon::registry {

// "scheme://host:port" of `url`, the port spelled out even when it is the
// default, so that https://h and https://h:443 compare equal. Throws
// invalid_argument for a URL that is not http or https.
std::string urlOrigin(const std::string& url);

// `location` (absolute, or relative to `base` as RFC 3986 §5 resolves it)
// as an absolute URL. Throws invalid_argument for anything but http/https.
std::string resolveUrl(const std::string& base, const std::string& location);

// `url` with "name=value" appended to its query (value percent-encoded).
std::string withQuery(const std::string& url, std::string_view name, std::string_view value);

// `value` with everything but RFC 3986's unreserved characters percent-encoded.
std::string percentEncode(std::string_view value);

}  // namespace tenon::registry
