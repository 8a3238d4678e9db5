// Foreign (non-distributable) layers: a manifest may list `urls` a layer can
// be fetched from besides the registry (OCI image spec descriptor.md). Those
// are other hosts: they are used only when the client allows it
// (--allow-foreign-urls), without any credentials (CVE-2020-15157), and the
// registry stays the fallback. Otherwise every layer, a non-distributable
// media type included, comes from the registry.
#pragma once

#include <string>
#include <vector>

#include "pull/blob_download.hpp"
#include "registry/registry_client.hpp"

namespace tenon::pull {

// Fetches from each of `urls` in turn, then from the registry; `notice`
// hears why a URL was left. A failure of the store (the sink) is not retried.
BlobFetch foreignFetch(registry::RegistryClient& client, std::vector<std::string> urls, registry::Notice notice);

}  // namespace tenon::pull
