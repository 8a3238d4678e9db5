// The Transfer RPC service: imports and exports of image archives, each one
// a session with a thread of its own (see import_session.hpp, export_session.hpp).
#pragma once

#include <functional>

#include "transfer.capnp.h"
#include "transfer/import_session.hpp"

namespace tenon::transfer {

class TransferService final : public rpc::Transfer::Server {
 public:
  // `content` is null when no content plugin loaded: every call is then unavailable.
  // `afterImport` runs (on the import's thread) when an import ends: it schedules GC.
  TransferService(content::ContentStore* content, metadata::MetadataStore& metadata, std::function<void()> afterImport)
      : content_(content), metadata_(metadata), afterImport_(std::move(afterImport)) {}

 protected:
  kj::Promise<void> import(ImportContext context) override;
  kj::Promise<void> export_(ExportContext context) override;

 private:
  TransferStores stores() const;

  content::ContentStore* content_;
  metadata::MetadataStore& metadata_;
  std::function<void()> afterImport_;
};

}  // namespace tenon::transfer
