// How records are keyed: their parts joined by NUL, namespace first, so that
// one namespace's records form one key range ("<ns>\0<name>") and a prefix
// scan in one namespace never reaches another. Parts never contain NUL
// (validation refuses it), which keeps the separators unambiguous.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace tenon::metadata {

// Bytes of a long key kept before its fold: more than every part but the
// last can take (a namespace, an id, a lease resource type: under 250 bytes).
inline constexpr std::size_t kKeyFoldAt = 446;

// The key of the record named by `parts`. LMDB keys hold 511 bytes at most,
// names up to 4096: a longer key keeps its first kKeyFoldAt bytes and ends in
// NUL + the SHA-256 (hex) of the whole key. A folded key has one more NUL than
// any unfolded key of the same table, so the two kinds never collide; the full
// name is always kept in the record itself.
std::string recordKey(std::initializer_list<std::string_view> parts);

// The prefix shared by the keys of all records whose leading parts are `parts`:
// each part followed by NUL ("<ns>\0").
std::string keyPrefix(std::initializer_list<std::string_view> parts);

// The part of a scan prefix that folded keys still hold: scan with this, then
// filter the records by their full names.
std::string_view foldSafePrefix(std::string_view prefix);

// The hex SHA-256 of `bytes`, for folded keys and for indexing by a long name.
std::string sha256Hex(std::string_view bytes);

}  // namespace tenon::metadata
