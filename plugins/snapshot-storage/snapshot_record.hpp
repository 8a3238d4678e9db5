// One snapshot as the metadata store keeps it, and its on-disk encoding.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace tenon::snapshot_storage {

using Labels = std::map<std::string, std::string>;

// The values are the C ABI's TENON_SNAPSHOT_* so that they cross unchanged.
enum class Kind : uint8_t { view = 1, active = 2, committed = 3 };

const char* kindName(Kind kind);

struct Snapshot {
  // Names the snapshot's directory. Short (decimal, from 1, never reused) so
  // that long parent chains still fit an overlay mount's one-page options.
  uint64_t id = 0;
  Kind kind = Kind::active;
  std::string key;
  std::string parent;  // the parent's key, "" for none
  Labels labels;
  int64_t created = 0;  // nanoseconds since the epoch
  int64_t updated = 0;

  bool operator==(const Snapshot&) const = default;
};

// Little-endian, length-prefixed fields behind a version byte; the key is not
// stored in the value (it is the LMDB key).
std::string encodeRecord(const Snapshot& snapshot);
// Throws internal when `bytes` is not a record this code wrote.
Snapshot decodeRecord(std::string_view key, std::string_view bytes);

// 8 bytes, big-endian, so that LMDB's byte order is numeric order.
std::string encodeId(uint64_t id);
uint64_t decodeId(std::string_view bytes);

}  // namespace tenon::snapshot_storage
