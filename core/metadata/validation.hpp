// The one place the store checks names, ids, digests, keys and labels before
// they become keys or records. Each check throws invalid_argument with a
// message that names the bad value.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "metadata/labels.hpp"

namespace tenon::metadata {

inline constexpr std::size_t kMaxIdentifierBytes = 76;
inline constexpr std::size_t kMaxKeyBytes = 4096;
// containerd's bound on one label: key and value together.
inline constexpr std::size_t kMaxLabelBytes = 4096;

// [a-z0-9]([a-z0-9._-]*[a-z0-9])?, at most 76 bytes (the RPC edge's rule).
void validateNamespace(std::string_view name);
// [A-Za-z0-9][A-Za-z0-9_.-]*, at most 76 bytes: container and lease ids,
// snapshotter and runtime names. `what` is "container id", "lease id"...
void validateIdentifier(std::string_view what, std::string_view id);
// 1..4096 bytes of UTF-8, no whitespace or control characters, no ".." path segment.
void validateImageName(std::string_view name);
// "sha256:" followed by 64 lower-case hex digits.
void validateDigest(std::string_view digest);
// 1..4096 bytes of UTF-8 without NUL: snapshot keys, ingest refs, backing keys.
void validateKey(std::string_view what, std::string_view key);
// Keys non-empty, key and value UTF-8 and together at most `maxPairBytes`
// (4096 for labels, like containerd; descriptors' annotations allow more).
void validateLabels(std::string_view what, const Labels& labels, std::size_t maxPairBytes = kMaxLabelBytes);
// Empty, or one JSON document (the OCI spec, runtime options).
void validateJsonText(std::string_view what, std::string_view text);
// Valid UTF-8 (a record is JSON, which holds nothing else).
void validateUtf8(std::string_view what, std::string_view text);

// `value` in double quotes for a message: control bytes escaped, long values cut.
std::string quote(std::string_view value);

}  // namespace tenon::metadata
