#include "unpack/unpack_lease.hpp"

#include "metadata/leases.hpp"

namespace tenon::unpack {

namespace {

metadata::LeaseResource snapshotResource(const std::string& snapshotter, const std::string& key) {
  return {"snapshots/" + snapshotter, key};
}

}  // namespace

UnpackLease::UnpackLease(metadata::MetadataStore& metadata, const std::string& ns, const std::string& callerLease)
    : metadata_(metadata), ns_(ns), id_(callerLease) {
  if (id_.empty()) id_ = own_.emplace(metadata, ns, "unpack", metadata::Labels{{"tenon.io/unpack", "true"}}).id();
}

void UnpackLease::hold(const std::string& snapshotter, const std::string& key) {
  metadata_.update(
      [&](metadata::WriteTx& tx) { metadata::leases::addResource(tx, ns_, id_, snapshotResource(snapshotter, key)); });
}

void UnpackLease::drop(const std::string& snapshotter, const std::string& key) {
  metadata_.update([&](metadata::WriteTx& tx) {
    metadata::leases::removeResource(tx, ns_, id_, snapshotResource(snapshotter, key));
  });
}

void UnpackLease::finish(const std::function<void(metadata::WriteTx&)>& fn) {
  metadata_.update([&](metadata::WriteTx& tx) {
    fn(tx);
    if (own_) metadata::leases::remove(tx, ns_, id_);
  });
  if (own_) own_->released();
}

}  // namespace tenon::unpack
