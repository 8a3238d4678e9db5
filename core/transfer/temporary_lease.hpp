// A lease of one operation's own (an import, an unpack): created at once,
// expiring on its own after `lifetime` in case tenond dies mid-way, and
// removed by the destructor unless the operation removed it itself in the
// transaction that made what it protected reachable (release()).
#pragma once

#include <chrono>
#include <string>

#include "metadata/labels.hpp"
#include "metadata/metadata_store.hpp"

namespace tenon::transfer {

// Long enough for any import or unpack; short enough that a daemon killed
// mid-way does not pin what it stored for long.
inline constexpr std::chrono::hours kTemporaryLeaseLifetime{24};

class TemporaryLease {
 public:
  // Creates the lease "<prefix>-<16 random hex digits>" in `ns` with `labels`.
  TemporaryLease(metadata::MetadataStore& metadata, std::string ns, const std::string& prefix,
                 metadata::Labels labels, std::chrono::nanoseconds lifetime = kTemporaryLeaseLifetime);
  ~TemporaryLease();
  TemporaryLease(const TemporaryLease&) = delete;
  TemporaryLease& operator=(const TemporaryLease&) = delete;

  const std::string& id() const { return id_; }
  const std::string& ns() const { return ns_; }
  // The caller removed the lease in a transaction of its own: nothing left to do.
  void released() { released_ = true; }

 private:
  metadata::MetadataStore& metadata_;
  std::string ns_;
  std::string id_;
  bool released_ = false;
};

}  // namespace tenon::transfer
