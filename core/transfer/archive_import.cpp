#include "transfer/archive_import.hpp"

#include <nlohmann/json.hpp>

#include <set>
#include <tenon/error.hpp>

#include "images/image_walk.hpp"
#include "images/media_types.hpp"
#include "images/platform.hpp"
#include "images/stored_blobs.hpp"
#include "metadata/leases.hpp"
#include "transfer/archive_contents.hpp"
#include "transfer/archive_images.hpp"
#include "transfer/blob_ingester.hpp"
#include "transfer/temporary_lease.hpp"
#include "transfer/unpack_events.hpp"

namespace tenon::transfer {

namespace {

void checkLayoutVersion(const ArchiveContents& contents) {
  auto it = contents.documents.find("oci-layout");
  if (it == contents.documents.end()) return;
  auto layout = nlohmann::json::parse(it->second, nullptr, false);
  if (layout.is_discarded() || !layout.is_object() || layout.value("imageLayoutVersion", "") != "1.0.0")
    fail(TENON_INVALID_ARGUMENT, "oci-layout: want {\"imageLayoutVersion\": \"1.0.0\"}");
}

}  // namespace

std::vector<metadata::Image> ArchiveImport::run(const ArchiveReader::Source& source) {
  TemporaryLease lease(metadata_, ns_, "import", {{"tenon.io/import", "true"}});
  std::vector<metadata::Image> images = readImages(source, lease.id());
  images::GcLabels labels = walkImages(images);
  unpackImages(images, lease.id());
  std::vector<metadata::Image> recorded = recordImages(lease.id(), images, labels);
  lease.released();
  return recorded;
}

std::vector<metadata::Image> ArchiveImport::readImages(const ArchiveReader::Source& source, const std::string& lease) {
  BlobIngester ingester(content_, ns_, lease, progress_);
  ArchiveContents contents;
  {
    ArchiveReader reader(source);
    contents = readArchive(reader, ingester);
  }
  // What follows the end-of-archive blocks (a writer's padding) is read and
  // dropped, so that the client's stream ends normally.
  char drain[1 << 16];
  while (source(drain, sizeof drain) > 0) {
  }

  checkLayoutVersion(contents);
  auto index = contents.documents.find("index.json");
  if (index == contents.documents.end()) {
    auto manifest = contents.documents.find("manifest.json");
    if (manifest == contents.documents.end())
      fail(TENON_INVALID_ARGUMENT,
           "not an image archive: it has neither index.json (OCI layout) nor manifest.json (docker-archive)");
    return imagesFromDockerManifest(manifest->second, contents, ingester, options_);
  }
  std::vector<metadata::Image> images = imagesFromIndex(index->second, options_);
  if (!options_.indexName.empty()) {
    std::string digest = ingester.storeBytes(index->second, "index.json");
    images.push_back({options_.indexName,
                      {std::string(images::media_types::kOciIndex), digest,
                       static_cast<std::int64_t>(index->second.size()), {}},
                      {}, 0, 0});
  }
  return images;
}

images::GcLabels ArchiveImport::walkImages(const std::vector<metadata::Image>& wanted) {
  images::StoredBlobs blobs(content_, ns_);
  images::WalkOptions walk{options_.allPlatforms ? images::Missing::fail : images::Missing::failForHostPlatform,
                           "the archive"};
  images::GcLabels labels;
  for (const metadata::Image& image : wanted) {
    images::ImageGraph graph = images::walkImage(blobs, image.target, walk);
    for (const std::string& missing : graph.missing) progress_.warn(image.name + ": " + missing);
    for (auto& [digest, refs] : graph.gcLabels) labels[digest].insert(refs.begin(), refs.end());
  }
  return labels;
}

void ArchiveImport::unpackImages(const std::vector<metadata::Image>& wanted, const std::string& lease) {
  if (!options_.unpack) return;
  // A daemon without any snapshotter (a content-only setup) imports as before;
  // one that has snapshotters but not the one asked for fails below.
  if (!unpacker_.hasSnapshotters()) {
    progress_.warn("no snapshotter is loaded: the images were imported but not unpacked");
    return;
  }
  std::set<std::string> unpacked;  // targets: several names may share one
  for (const metadata::Image& image : wanted) {
    if (!unpacked.insert(image.target.digest).second) continue;
    unpack::UnpackRequest request{ns_, image.name, image.target, options_.snapshotter, "", lease};
    if (!unpacker_.unpackIfPresent(request, unpackEvents(progress_, image.name), stop_))
      progress_.warn(image.name + ": no manifest for " + images::hostPlatform().text() + ", so it was not unpacked");
  }
}

std::vector<metadata::Image> ArchiveImport::recordImages(const std::string& lease,
                                                         const std::vector<metadata::Image>& wanted,
                                                         const images::GcLabels& labels) {
  std::vector<metadata::Image> recorded = metadata_.update([&](metadata::WriteTx& tx) {
    std::vector<metadata::Image> out;
    for (const metadata::Image& image : wanted) out.push_back(images::putImage(tx, ns_, image));
    images::applyGcLabels(tx, ns_, labels);
    metadata::leases::remove(tx, ns_, lease);
    return out;
  });
  for (const metadata::Image& image : recorded)
    progress_.send({"image", image.name, image.target.digest, image.target.size, image.target.size, true, ""});
  return recorded;
}

}  // namespace tenon::transfer
