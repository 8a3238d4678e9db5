// One pass over an image archive: every file goes to the content store as it
// streams by (blobs/sha256/<hex> verified against its name; anything else,
// such as a docker-archive's layer tars, under its computed digest), and the
// few small documents that describe the archive are kept in memory, capped
// at 20 MiB each like containerd's, so that a huge one cannot exhaust memory.
#pragma once

#include <map>
#include <string>

#include "transfer/archive_reader.hpp"
#include "transfer/blob_ingester.hpp"

namespace tenon::transfer {

struct ArchiveContents {
  // "oci-layout", "index.json", "manifest.json" and "repositories", when present.
  std::map<std::string, std::string> documents;
  // Every other file, by its path in the archive.
  std::map<std::string, StoredFile> files;
  // Links (never among blobs or documents), by path → the path they name.
  std::map<std::string, std::string> links;

  // The file at `path`, through links; nullptr when there is none.
  const StoredFile* file(const std::string& path) const;
};

// Reads `reader` to the end of the archive.
ArchiveContents readArchive(ArchiveReader& reader, BlobIngester& ingester);

}  // namespace tenon::transfer
