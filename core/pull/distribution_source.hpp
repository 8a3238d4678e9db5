// Where a pulled blob came from, as containerd records it
// (containerd.io/distribution.source.<registry>=<repository>[,...]): a push
// to the same registry can then mount the blob from a repository that has it
// instead of uploading it (see core/push).
//
// The key is "tenon.io/distribution.source." followed by the reference's
// domain exactly as parseReference normalises it, port included and
// unescaped ("tenon.io/distribution.source.127.0.0.1:5000",
// "tenon.io/distribution.source.docker.io"): label keys may hold ':'. The
// value is the repository paths within that registry ("library/busybox"),
// sorted, each once, comma-separated.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "metadata/transaction.hpp"
#include "registry/reference.hpp"

namespace tenon::pull {

inline constexpr std::string_view kDistributionSourcePrefix = "tenon.io/distribution.source.";

std::string distributionSourceKey(std::string_view domain);

// `existing` ("" for none) with `path` added: sorted, each path once.
std::string mergeDistributionSource(std::string_view existing, std::string_view path);

// Adds `reference`'s repository to the label of each of `digests` the
// namespace records (others are skipped). A value that would pass the label
// size bound keeps the repositories it has.
void labelDistributionSource(metadata::WriteTx& tx, std::string_view ns, const std::set<std::string>& digests,
                             const registry::Reference& reference);

}  // namespace tenon::pull
