#include "transfer/archive_contents.hpp"

#include <set>
#include <tenon/error.hpp>

#include "images/image_documents.hpp"
#include "metadata/validation.hpp"

namespace tenon::transfer {

namespace {

const std::set<std::string> kDocuments = {"oci-layout", "index.json", "manifest.json", "repositories"};

std::string readDocument(ArchiveReader& reader, const ArchiveEntry& entry) {
  // The header's size first, and the bytes as they come too: the cap holds
  // even if the two disagree.
  images::checkJsonSize(static_cast<std::size_t>(entry.size), entry.path);
  std::string bytes;
  char buffer[1 << 16];
  for (std::size_t n; (n = reader.read(buffer, sizeof buffer)) > 0;) {
    bytes.append(buffer, n);
    images::checkJsonSize(bytes.size(), entry.path);
  }
  return bytes;
}

// "sha256:<hex>" for "blobs/sha256/<hex>"; throws for another algorithm or a bad name.
std::string blobDigest(const std::string& path) {
  std::string rest = path.substr(6);  // after "blobs/"
  std::size_t slash = rest.find('/');
  std::string algorithm = rest.substr(0, slash);
  if (slash == std::string::npos || algorithm != "sha256")
    fail(TENON_INVALID_ARGUMENT, "archive entry " + metadata::quote(path) +
                                     " refused: only sha256 blobs (blobs/sha256/<hex>) are supported");
  std::string digest = "sha256:" + rest.substr(slash + 1);
  try {
    metadata::validateDigest(digest);
  } catch (const Error&) {
    fail(TENON_INVALID_ARGUMENT,
         "archive entry " + metadata::quote(path) + " refused: a blob's name is 64 lower-case hex digits");
  }
  return digest;
}

}  // namespace

const StoredFile* ArchiveContents::file(const std::string& path) const {
  std::string at = path;
  // A chain of links ends within a few hops; a longer one is a loop.
  for (int hops = 0; hops < 16; ++hops) {
    if (auto it = files.find(at); it != files.end()) return &it->second;
    auto link = links.find(at);
    if (link == links.end()) return nullptr;
    at = link->second;
  }
  return nullptr;
}

ArchiveContents readArchive(ArchiveReader& reader, BlobIngester& ingester) {
  ArchiveContents contents;
  while (auto entry = reader.next()) {
    if (entry->isLink()) {
      // A blob or document must be what it says it is, not a pointer to something else.
      if (kDocuments.count(entry->path) || entry->path.starts_with("blobs/"))
        fail(TENON_INVALID_ARGUMENT, "archive entry " + metadata::quote(entry->path) +
                                         " refused: blobs and index files cannot be links");
      contents.links[entry->path] = entry->linkTarget;
    } else if (kDocuments.count(entry->path)) {
      if (contents.documents.count(entry->path))
        fail(TENON_INVALID_ARGUMENT, "archive entry " + entry->path + " appears twice");
      contents.documents[entry->path] = readDocument(reader, *entry);
    } else if (entry->path.starts_with("blobs/")) {
      contents.files[entry->path] = ingester.store(reader, *entry, blobDigest(entry->path));
    } else {
      contents.files[entry->path] = ingester.store(reader, *entry, "");
    }
  }
  return contents;
}

}  // namespace tenon::transfer
