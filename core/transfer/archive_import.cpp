#include "transfer/archive_import.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <random>
#include <tenon/error.hpp>

#include "images/image_store.hpp"
#include "images/image_walk.hpp"
#include "images/media_types.hpp"
#include "images/stored_blobs.hpp"
#include "metadata/leases.hpp"
#include "transfer/archive_contents.hpp"
#include "transfer/archive_images.hpp"
#include "transfer/blob_ingester.hpp"

namespace tenon::transfer {

namespace {

// Long enough for any import; short enough that a daemon killed mid-import
// does not pin what it stored for long.
constexpr auto kLeaseLifetime = std::chrono::hours(24);

std::int64_t nanosFromNow(std::chrono::nanoseconds delta) {
  auto at = std::chrono::system_clock::now() + delta;
  return std::chrono::duration_cast<std::chrono::nanoseconds>(at.time_since_epoch()).count();
}

// The import's lease: created at once, removed by the destructor unless the
// images' transaction removed it already.
class ImportLease {
 public:
  explicit ImportLease(metadata::MetadataStore& metadata, const std::string& ns) : metadata_(metadata), ns_(ns) {
    std::random_device random;
    id_ = fmt::format("import-{:08x}{:08x}", random(), random());
    metadata_.update([&](metadata::WriteTx& tx) {
      metadata::leases::create(tx, ns_, {id_, {{"tenon.io/import", "true"}}, 0, nanosFromNow(kLeaseLifetime)});
    });
  }
  ~ImportLease() {
    if (released_) return;
    try {
      metadata_.update([&](metadata::WriteTx& tx) { metadata::leases::remove(tx, ns_, id_); });
    } catch (const std::exception&) {
      // It expires on its own.
    }
  }
  const std::string& id() const { return id_; }
  void released() { released_ = true; }

 private:
  metadata::MetadataStore& metadata_;
  std::string ns_;
  std::string id_;
  bool released_ = false;
};

void checkLayoutVersion(const ArchiveContents& contents) {
  auto it = contents.documents.find("oci-layout");
  if (it == contents.documents.end()) return;
  auto layout = nlohmann::json::parse(it->second, nullptr, false);
  if (layout.is_discarded() || !layout.is_object() || layout.value("imageLayoutVersion", "") != "1.0.0")
    fail(TENON_INVALID_ARGUMENT, "oci-layout: want {\"imageLayoutVersion\": \"1.0.0\"}");
}

}  // namespace

std::vector<metadata::Image> ArchiveImport::run(const ArchiveReader::Source& source) {
  ImportLease lease(metadata_, ns_);
  BlobIngester ingester(content_, ns_, lease.id(), progress_);
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
  std::vector<metadata::Image> images;
  if (auto index = contents.documents.find("index.json"); index != contents.documents.end()) {
    images = imagesFromIndex(index->second, options_);
    if (!options_.indexName.empty()) {
      std::string digest = ingester.storeBytes(index->second, "index.json");
      images.push_back({options_.indexName,
                        {std::string(images::media_types::kOciIndex), digest,
                         static_cast<std::int64_t>(index->second.size()), {}},
                        {}, 0, 0});
    }
  } else if (auto manifest = contents.documents.find("manifest.json"); manifest != contents.documents.end()) {
    images = imagesFromDockerManifest(manifest->second, contents, ingester, options_);
  } else {
    fail(TENON_INVALID_ARGUMENT,
         "not an image archive: it has neither index.json (OCI layout) nor manifest.json (docker-archive)");
  }
  std::vector<metadata::Image> recorded = recordImages(lease.id(), std::move(images));
  lease.released();
  return recorded;
}

std::vector<metadata::Image> ArchiveImport::recordImages(const std::string& lease,
                                                         std::vector<metadata::Image> wanted) {
  images::StoredBlobs blobs(content_, ns_);
  images::WalkOptions walk{options_.allPlatforms ? images::Missing::fail : images::Missing::failForHostPlatform,
                           "the archive"};
  images::GcLabels labels;
  for (const metadata::Image& image : wanted) {
    images::ImageGraph graph = images::walkImage(blobs, image.target, walk);
    for (const std::string& missing : graph.missing) progress_.warn(image.name + ": " + missing);
    for (auto& [digest, refs] : graph.gcLabels) labels[digest].insert(refs.begin(), refs.end());
  }
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
