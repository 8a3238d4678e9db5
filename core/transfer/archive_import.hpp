// One import, from the archive's first byte to the image records. Runs on a
// worker thread of its own: it blocks on the archive's bytes and on the stores.
//
// Everything it stores is held by a lease it creates (expiring in 24 hours,
// in case tenond dies mid-way). On success the image records, the GC labels
// that make their content reachable, and the lease's removal land in one
// metadata transaction; on failure the lease is removed, and the garbage
// collector reclaims whatever was stored.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "content/content_store.hpp"
#include "metadata/images.hpp"
#include "metadata/metadata_store.hpp"
#include "transfer/archive_reader.hpp"
#include "transfer/import_options.hpp"
#include "transfer/progress_channel.hpp"

namespace tenon::transfer {

class ArchiveImport {
 public:
  ArchiveImport(content::ContentStore& content, metadata::MetadataStore& metadata, std::string ns,
                ImportOptions options, ProgressChannel& progress)
      : content_(content), metadata_(metadata), ns_(std::move(ns)), options_(std::move(options)),
        progress_(progress) {}

  // Reads the archive from `source` until the source ends, then records the
  // images and returns them. Throws, naming what was wrong, on failure.
  std::vector<metadata::Image> run(const ArchiveReader::Source& source);

 private:
  std::vector<metadata::Image> recordImages(const std::string& lease, std::vector<metadata::Image> images);

  content::ContentStore& content_;
  metadata::MetadataStore& metadata_;
  std::string ns_;
  ImportOptions options_;
  ProgressChannel& progress_;
};

}  // namespace tenon::transfer
