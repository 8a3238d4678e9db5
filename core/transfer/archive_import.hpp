// One import, from the archive's first byte to the image records. Runs on a
// worker thread of its own: it blocks on the archive's bytes and on the stores.
//
// Everything it stores is held by a lease it creates (expiring in 24 hours,
// in case tenond dies mid-way). Unless asked not to, it then unpacks the host
// platform's image(s) into snapshots held by the same lease (the config
// labelled with the top chain ID). On success the image records, the GC
// labels that make their content reachable, and the lease's removal land in
// one metadata transaction; on failure — an unpack refusing a layer included —
// the lease is removed and no image is recorded: the garbage collector
// reclaims whatever was stored.
#pragma once

#include <functional>
#include <stop_token>
#include <string>
#include <vector>

#include "content/content_store.hpp"
#include "images/image_store.hpp"
#include "metadata/images.hpp"
#include "metadata/metadata_store.hpp"
#include "transfer/archive_reader.hpp"
#include "transfer/import_options.hpp"
#include "transfer/progress_channel.hpp"
#include "unpack/image_unpacker.hpp"

namespace tenon::transfer {

class ArchiveImport {
 public:
  ArchiveImport(content::ContentStore& content, metadata::MetadataStore& metadata, unpack::ImageUnpacker& unpacker,
                std::string ns, ImportOptions options, ProgressChannel& progress, std::stop_token stop = {})
      : content_(content), metadata_(metadata), unpacker_(unpacker), ns_(std::move(ns)),
        options_(std::move(options)), progress_(progress), stop_(std::move(stop)) {}

  // Reads the archive from `source` until the source ends, then records the
  // images and returns them. Throws, naming what was wrong, on failure.
  std::vector<metadata::Image> run(const ArchiveReader::Source& source);

 private:
  // The images the archive describes, its blobs stored under `lease`.
  std::vector<metadata::Image> readImages(const ArchiveReader::Source& source, const std::string& lease);
  // Checks each image's graph against the policy; the GC labels it needs.
  images::GcLabels walkImages(const std::vector<metadata::Image>& images);
  // Unpacks the host platform's image of each, under `lease`.
  void unpackImages(const std::vector<metadata::Image>& images, const std::string& lease);
  std::vector<metadata::Image> recordImages(const std::string& lease, const std::vector<metadata::Image>& images,
                                            const images::GcLabels& labels);

  content::ContentStore& content_;
  metadata::MetadataStore& metadata_;
  unpack::ImageUnpacker& unpacker_;
  std::string ns_;
  ImportOptions options_;
  ProgressChannel& progress_;
  std::stop_token stop_;
};

}  // namespace tenon::transfer
