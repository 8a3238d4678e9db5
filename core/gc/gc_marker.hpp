// The mark phase of garbage collection: what in one namespace is reachable
// from its roots. Roots are images (their target), containers (their
// snapshot), unexpired leases (what they hold) and content labelled
// tenon.io/gc.root. References follow containerd's labels: on content and
// snapshots, tenon.io/gc.ref.content[.<anything>] = <digest> and
// tenon.io/gc.ref.snapshot.<snapshotter>[.<anything>] = <key>; a snapshot
// also holds its parent.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <utility>

#include "metadata/transaction.hpp"

namespace tenon::gc {

inline constexpr std::string_view kRootLabel = "tenon.io/gc.root";
inline constexpr std::string_view kContentRefPrefix = "tenon.io/gc.ref.content";
inline constexpr std::string_view kSnapshotRefPrefix = "tenon.io/gc.ref.snapshot.";

struct Reachable {
  std::set<std::string> content;                              // digests
  std::set<std::pair<std::string, std::string>> snapshots;    // (snapshotter, key)
};

// Everything reachable in `ns`; leases that expire at or before `now` hold nothing.
Reachable mark(const metadata::ReadTx& tx, const std::string& ns, int64_t now);

}  // namespace tenon::gc
