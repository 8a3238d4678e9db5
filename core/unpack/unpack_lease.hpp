// What keeps an unpack's snapshots from the garbage collector until the
// image's config is labelled with its top chain ID (which makes them
// reachable from the image): each snapshot key is added to a lease, as a
// resource of type "snapshots/<snapshotter>", before the snapshot is
// prepared. The lease is the caller's (an import's: its transaction that
// records the images then removes it) or one of the unpack's own, removed in
// the transaction that labels the config.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "metadata/metadata_store.hpp"
#include "transfer/temporary_lease.hpp"

namespace tenon::unpack {

class UnpackLease {
 public:
  // `callerLease` "" creates a lease of the unpack's own.
  UnpackLease(metadata::MetadataStore& metadata, const std::string& ns, const std::string& callerLease);

  // Holds snapshot `key` of `snapshotter` (a key not made yet may be held).
  // Throws not_found when the caller's lease does not exist.
  void hold(const std::string& snapshotter, const std::string& key);
  // Stops holding `key` (an active snapshot committed under another key, or removed).
  void drop(const std::string& snapshotter, const std::string& key);
  // Runs `fn` in one transaction that also removes the unpack's own lease.
  void finish(const std::function<void(metadata::WriteTx&)>& fn);

 private:
  metadata::MetadataStore& metadata_;
  std::string ns_;
  std::optional<transfer::TemporaryLease> own_;
  std::string id_;
};

}  // namespace tenon::unpack
