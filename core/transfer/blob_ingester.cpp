#include "transfer/blob_ingester.hpp"

#include <chrono>
#include <optional>
#include <tenon/error.hpp>
#include <vector>

#include "metadata/validation.hpp"
#include "transfer/sha256.hpp"

namespace tenon::transfer {

namespace {

constexpr std::size_t kChunk = 1 << 20;
constexpr auto kProgressEvery = std::chrono::milliseconds(100);

// Opens `ref`, or a private one when another import writes the shared ref
// right now (the same blob arriving twice at once in one namespace).
content::OpenedIngest openIngest(content::ContentStore& store, const std::string& ns, std::string ref,
                                 const std::function<std::string()>& privateRef, std::int64_t size,
                                 const std::string& digest, const std::string& lease) {
  try {
    return store.openIngest(ns, ref, size, digest, lease);
  } catch (const Error& e) {
    if (e.code() != TENON_UNAVAILABLE) throw;
  }
  return store.openIngest(ns, privateRef(), size, digest, lease);
}

}  // namespace

void BlobIngester::verifyExisting(ArchiveReader& reader, const ArchiveEntry& entry, const std::string& digest) {
  // Nothing is written, but the archive is still checked: a corrupt archive
  // is reported whatever the store happens to hold already.
  Sha256 hash;
  std::vector<std::uint8_t> buffer(kChunk);
  for (std::size_t n; (n = reader.read(buffer.data(), buffer.size())) > 0;) hash.update(buffer.data(), n);
  if (std::string actual = hash.digest(); actual != digest)
    fail(TENON_INVALID_ARGUMENT, "archive entry " + metadata::quote(entry.path) +
                                     " does not match its digest: its bytes hash to " + actual);
}

std::string BlobIngester::privateRef() { return "import-" + lease_ + "-" + std::to_string(++refs_); }

StoredFile BlobIngester::store(ArchiveReader& reader, const ArchiveEntry& entry, const std::string& expectedDigest) {
  // A blob's ingest is named after its digest, so that an import cut short
  // (tenond killed) leaves an ingest the next import of that blob takes over
  // and rewrites from offset 0, instead of an orphan.
  std::string ref = expectedDigest.empty() ? privateRef() : "import-" + expectedDigest.substr(7);
  content::OpenedIngest opened;
  try {
    opened = openIngest(store_, ns_, ref, [this] { return privateRef(); }, entry.size, expectedDigest, lease_);
  } catch (const Error& e) {
    // The store has the digest with another size: the archive is wrong.
    if (e.code() != TENON_FAILED_PRECONDITION) throw;
    fail(TENON_INVALID_ARGUMENT, "archive entry " + metadata::quote(entry.path) + ": " + e.what());
  }
  if (!opened.writer) {  // the store has it (recorded in the namespace and the lease already)
    verifyExisting(reader, entry, expectedDigest);
    try {
      store_.abort(ns_, ref);  // an ingest a killed import left of it is of no use now
    } catch (const Error&) {
      // None, or another import is writing it.
    }
    progress_.send({"blob", entry.path, expectedDigest, entry.size, entry.size, true, "exists"});
    return {expectedDigest, entry.size, false};
  }
  content::ContentWriter& writer = *opened.writer;
  std::string openedRef = opened.status.ref;
  bool committed = false;
  try {
    std::optional<Sha256> hash;
    if (expectedDigest.empty()) hash.emplace();
    std::vector<std::uint8_t> buffer(kChunk);
    StoredFile file{expectedDigest, 0, false};
    auto reported = std::chrono::steady_clock::now();
    progress_.send({"blob", entry.path, expectedDigest, 0, entry.size, false, ""});
    for (std::size_t n; (n = reader.read(buffer.data(), buffer.size())) > 0;) {
      if (file.size == 0) file.gzip = n >= 2 && buffer[0] == 0x1f && buffer[1] == 0x8b;
      if (hash) hash->update(buffer.data(), n);
      // Offset 0 first: a stale ingest left by a killed import is cut back, not appended to.
      writer.write(file.size, std::span<const std::uint8_t>(buffer.data(), n));
      file.size += static_cast<std::int64_t>(n);
      if (auto now = std::chrono::steady_clock::now(); now - reported >= kProgressEvery) {
        reported = now;
        progress_.send({"blob", entry.path, expectedDigest, file.size, entry.size, false, ""});
      }
    }
    if (file.size == 0) writer.write(0, {});  // an empty file still replaces a stale ingest
    if (hash) file.digest = hash->digest();
    try {
      store_.commit(ns_, writer, file.size, file.digest, {}, lease_);
    } catch (const Error& e) {
      fail(e.code() == TENON_FAILED_PRECONDITION ? TENON_INVALID_ARGUMENT : e.code(),
           "archive entry " + metadata::quote(entry.path) + " does not match its digest: " + e.what());
    }
    committed = true;
    progress_.send({"blob", entry.path, file.digest, file.size, entry.size, true, ""});
    return file;
  } catch (...) {
    // Nothing of a blob that failed stays behind: drop the partial ingest.
    writer.close();
    if (!committed) {
      try {
        store_.abort(ns_, openedRef);
      } catch (const Error&) {
        // Already gone (a failed commit discards it).
      }
    }
    throw;
  }
}

std::string BlobIngester::storeBytes(const std::string& bytes, const std::string& what) {
  std::string digest = sha256Of(bytes);
  auto size = static_cast<std::int64_t>(bytes.size());
  content::OpenedIngest opened =
      openIngest(store_, ns_, privateRef(), [this] { return privateRef(); }, size, digest, lease_);
  if (opened.writer) {
    opened.writer->write(0, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                                          bytes.size()));
    store_.commit(ns_, *opened.writer, size, digest, {}, lease_);
  }
  progress_.send({"manifest", what, digest, size, size, true, ""});
  return digest;
}

}  // namespace tenon::transfer
