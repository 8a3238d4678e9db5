#include "snapshot_record.hpp"

#include <tenon/error.hpp>

namespace tenon::snapshot_storage {

namespace {

constexpr uint8_t kRecordVersion = 1;

void putU64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}

void putString(std::string& out, std::string_view s) {
  putU64(out, s.size());
  out.append(s);
}

// Reads fields in order; any overrun means a record this code did not write.
class Reader {
 public:
  Reader(std::string_view key, std::string_view bytes) : key_(key), bytes_(bytes) {}

  uint64_t u64() {
    std::string_view b = take(8);
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(b[i]);
    return v;
  }
  uint8_t u8() { return static_cast<uint8_t>(take(1)[0]); }
  std::string string() { return std::string(take(u64())); }
  void expectEnd() {
    if (!bytes_.empty()) broken();
  }

 private:
  std::string_view take(uint64_t n) {
    if (n > bytes_.size()) broken();
    std::string_view out = bytes_.substr(0, n);
    bytes_.remove_prefix(n);
    return out;
  }
  [[noreturn]] void broken() const {
    fail(TENON_INTERNAL, "snapshot metadata: the record of " + std::string(key_) + " is damaged");
  }

  std::string_view key_;
  std::string_view bytes_;
};

}  // namespace

const char* kindName(Kind kind) {
  switch (kind) {
    case Kind::view: return "view";
    case Kind::active: return "active";
    case Kind::committed: return "committed";
  }
  return "unknown";
}

std::string encodeRecord(const Snapshot& s) {
  std::string out;
  out.push_back(static_cast<char>(kRecordVersion));
  putU64(out, s.id);
  out.push_back(static_cast<char>(s.kind));
  putString(out, s.parent);
  putU64(out, static_cast<uint64_t>(s.created));
  putU64(out, static_cast<uint64_t>(s.updated));
  putU64(out, s.labels.size());
  for (const auto& [k, v] : s.labels) {
    putString(out, k);
    putString(out, v);
  }
  return out;
}

Snapshot decodeRecord(std::string_view key, std::string_view bytes) {
  Reader in(key, bytes);
  if (in.u8() != kRecordVersion)
    fail(TENON_INTERNAL, "snapshot metadata: the record of " + std::string(key) + " has an unknown version");
  Snapshot s;
  s.key = key;
  s.id = in.u64();
  uint8_t kind = in.u8();
  if (kind < 1 || kind > 3) fail(TENON_INTERNAL, "snapshot metadata: " + std::string(key) + " has an unknown kind");
  s.kind = static_cast<Kind>(kind);
  s.parent = in.string();
  s.created = static_cast<int64_t>(in.u64());
  s.updated = static_cast<int64_t>(in.u64());
  for (uint64_t n = in.u64(); n > 0; --n) {
    std::string k = in.string();
    s.labels[std::move(k)] = in.string();
  }
  in.expectEnd();
  return s;
}

std::string encodeId(uint64_t id) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[7 - i] = static_cast<char>(id >> (8 * i));
  return out;
}

uint64_t decodeId(std::string_view bytes) {
  if (bytes.size() != 8) fail(TENON_INTERNAL, "snapshot metadata: a damaged id");
  uint64_t v = 0;
  for (char c : bytes) v = (v << 8) | static_cast<uint8_t>(c);
  return v;
}

}  // namespace tenon::snapshot_storage
