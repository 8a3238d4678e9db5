#include "pull/pull_record.hpp"

#include "images/image_store.hpp"
#include "images/image_walk.hpp"
#include "images/stored_blobs.hpp"
#include "metadata/leases.hpp"
#include "pull/distribution_source.hpp"

namespace tenon::pull {

PulledImage recordPull(metadata::MetadataStore& metadata, const content::ContentStore& content,
                       const PullRecord& record) {
  images::StoredBlobs blobs(content, record.ns);
  // Only the chosen platforms were fetched: the others' manifests are absent, not wrong.
  images::WalkOptions walk{record.allPlatforms ? images::Missing::fail : images::Missing::skip, "the content store"};
  images::ImageGraph graph = images::walkImage(blobs, record.target, walk);
  metadata::Image wanted{record.reference.text(), record.target, {}, 0, 0};
  return metadata.update([&](metadata::WriteTx& tx) {
    PulledImage pulled;
    pulled.created = !metadata::images::find(tx, record.ns, wanted.name).has_value();
    pulled.image = images::putImage(tx, record.ns, wanted);
    images::applyGcLabels(tx, record.ns, graph.gcLabels);
    labelDistributionSource(tx, record.ns, record.digests, record.reference);
    if (!record.ownLease.empty()) metadata::leases::remove(tx, record.ns, record.ownLease);
    return pulled;
  });
}

}  // namespace tenon::pull
