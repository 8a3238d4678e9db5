#include "content/content_store.hpp"

#include <algorithm>
#include <mutex>
#include <tenon/error.hpp>

#include "metadata/leases.hpp"

namespace tenon::content {

namespace cr = metadata::content_records;

std::string ContentStore::pluginRef(const std::string& ns, const std::string& ref) {
  // Refs are hashed into file names by the plugin, but clients print and
  // compare them: keep them to printable text without path tricks.
  bool printable = std::none_of(ref.begin(), ref.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
  bool dotDot = ("/" + ref + "/").find("/../") != std::string::npos;
  if (ref.empty() || ref.size() > 200 || !printable || dotDot)
    fail(TENON_INVALID_ARGUMENT, "invalid ingest ref \"" + ref +
                                     "\": want 1 to 200 printable bytes and no \"..\" path element");
  return ns + "/" + ref;
}

template <class F>
auto ContentStore::inClientTerms(const std::string& ns, F&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const Error& e) {
    std::string message = e.what();
    std::string quoted = "\"" + ns + "/";
    for (size_t at; (at = message.find(quoted)) != std::string::npos;) message.erase(at + 1, ns.size() + 1);
    throw Error(e.code(), message);
  }
}

metadata::ContentRecord ContentStore::info(const std::string& ns, const std::string& digest) const {
  return metadata_.view([&](const metadata::ReadTx& tx) { return cr::get(tx, ns, digest); });
}

std::vector<metadata::ContentRecord> ContentStore::list(const std::string& ns, const filters::Filter& filter) const {
  auto all = metadata_.view([&](const metadata::ReadTx& tx) { return cr::list(tx, ns); });
  std::erase_if(all, [&](const metadata::ContentRecord& r) { return !filter.matches(contentFields(r)); });
  return all;
}

metadata::ContentRecord ContentStore::setLabels(const std::string& ns, const std::string& digest,
                                                const metadata::Labels& labels) {
  return metadata_.update([&](metadata::WriteTx& tx) { return cr::setLabels(tx, ns, digest, labels); });
}

void ContentStore::remove(const std::string& ns, const std::string& digest) {
  metadata_.update([&](metadata::WriteTx& tx) { cr::remove(tx, ns, digest); });
}

size_t ContentStore::readAt(const std::string& ns, const std::string& digest, int64_t offset,
                            std::span<uint8_t> buf) const {
  info(ns, digest);  // not_found unless the namespace holds it: a read may start at any offset
  return blobs_.readAt(digest, offset, buf);
}

metadata::ContentRecord ContentStore::record(const std::string& ns, const std::string& digest, int64_t size,
                                             const metadata::Labels& labels, const std::string& lease) {
  return metadata_.update([&](metadata::WriteTx& tx) {
    if (!lease.empty()) metadata::leases::addResource(tx, ns, lease, {"content", digest});
    metadata::ContentRecord added = cr::add(tx, ns, digest, size, labels);
    return labels.empty() || added.labels == labels ? added : cr::setLabels(tx, ns, digest, labels);
  });
}

void ContentStore::checkLease(const std::string& ns, const std::string& lease) const {
  if (!lease.empty()) metadata_.view([&](const metadata::ReadTx& tx) { metadata::leases::get(tx, ns, lease); });
}

OpenedIngest ContentStore::openIngest(const std::string& ns, const std::string& ref, int64_t total,
                                      const std::string& expectedDigest, const std::string& lease) {
  std::string key = pluginRef(ns, ref);
  checkLease(ns, lease);
  OpenedIngest opened;
  if (!expectedDigest.empty()) {
    std::shared_lock hold(gcLock_);
    std::optional<ContentInfo> blob;
    try {
      blob = blobs_.info(expectedDigest);
    } catch (const Error& e) {
      if (e.code() != TENON_NOT_FOUND) throw;
    }
    if (blob) {
      if (total >= 0 && total != blob->size)
        fail(TENON_FAILED_PRECONDITION, expectedDigest + " is " + std::to_string(blob->size) + " bytes, not " +
                                            std::to_string(total));
      opened.existing = record(ns, expectedDigest, blob->size, {}, lease);
      opened.status = {ref, blob->size, blob->size, expectedDigest, blob->created, blob->updated};
      return opened;
    }
  }
  opened.writer.emplace(inClientTerms(ns, [&] { return blobs_.openWriter(key, total, expectedDigest); }));
  opened.status = opened.writer->status();
  opened.status.ref = ref;
  return opened;
}

metadata::ContentRecord ContentStore::commit(const std::string& ns, ContentWriter& writer, int64_t size,
                                             const std::string& digest, const metadata::Labels& labels,
                                             const std::string& lease) {
  checkLease(ns, lease);  // before the commit, so that a bad lease leaves no blob behind
  std::shared_lock hold(gcLock_);
  inClientTerms(ns, [&] { return writer.commit(size, digest); });  // false when the blob existed: just the record
  return record(ns, digest, size, labels, lease);
}

std::vector<IngestStatus> ContentStore::ingests(const std::string& ns) const {
  std::vector<IngestStatus> mine;
  std::string prefix = ns + "/";
  for (IngestStatus status : blobs_.ingests()) {
    if (!status.ref.starts_with(prefix)) continue;
    status.ref.erase(0, prefix.size());
    mine.push_back(std::move(status));
  }
  return mine;
}

void ContentStore::abort(const std::string& ns, const std::string& ref) {
  inClientTerms(ns, [&] { blobs_.abort(pluginRef(ns, ref)); });
}

void ContentStore::write(const std::string& ns, ContentWriter& writer, int64_t offset,
                         std::span<const uint8_t> bytes) {
  inClientTerms(ns, [&] { writer.write(offset, bytes); });
}

filters::FieldLookup contentFields(const metadata::ContentRecord& record) {
  return filters::labelledFields(
      [&record](const std::string& field) -> std::optional<std::string> {
        if (field == "digest") return record.digest;
        if (field == "size") return std::to_string(record.size);
        return std::nullopt;
      },
      record.labels);
}

}  // namespace tenon::content
