// One export: the named images of a namespace as an OCI image layout tar —
// oci-layout, index.json with one entry per name, and blobs/sha256/<hex> for
// every blob the images reach (all platforms). Runs on a worker thread of
// its own: it blocks on the content store and on the archive's reader.
#pragma once

#include <string>
#include <vector>

#include "content/content_store.hpp"
#include "metadata/images.hpp"
#include "metadata/metadata_store.hpp"
#include "transfer/archive_writer.hpp"
#include "transfer/progress_channel.hpp"

namespace tenon::transfer {

class ArchiveExport {
 public:
  ArchiveExport(const content::ContentStore& content, metadata::MetadataStore& metadata, std::string ns,
                std::vector<std::string> names, ProgressChannel& progress)
      : content_(content), metadata_(metadata), ns_(std::move(ns)), names_(std::move(names)), progress_(progress) {}

  // Writes the whole archive into `sink`. Throws not_found for an unknown
  // image (before any byte is written); a blob the store lacks is left out
  // and reported as a warning.
  void run(const ArchiveWriter::Sink& sink);

 private:
  void writeBlob(ArchiveWriter& writer, const metadata::Descriptor& blob);

  const content::ContentStore& content_;
  metadata::MetadataStore& metadata_;
  std::string ns_;
  std::vector<std::string> names_;
  ProgressChannel& progress_;
};

}  // namespace tenon::transfer
