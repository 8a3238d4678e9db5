// The daemon's side of one import call: the archive's bytes arrive as RPC
// stream writes on the event loop and go through a bounded pipe to the
// ArchiveImport running on a thread of its own. A write resolves only when
// the pipe has room, so a client cannot push faster than the import stores.
#pragma once

#include <kj/async.h>

#include <functional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "content/content_store.hpp"
#include "metadata/images.hpp"
#include "metadata/metadata_store.hpp"
#include "transfer/byte_pipe.hpp"
#include "transfer/import_options.hpp"
#include "transfer/progress_channel.hpp"
#include "unpack/image_unpacker.hpp"

namespace tenon::transfer {

struct TransferStores {
  content::ContentStore& content;
  metadata::MetadataStore& metadata;
  std::function<void()> afterImport;  // runs when an import ends either way: it schedules GC
  unpack::ImageUnpacker& unpacker;
};

class ImportSession {
 public:
  // Starts the import's thread. Create on the event loop's thread.
  ImportSession(TransferStores stores, std::string ns, ImportOptions options, rpc::ProgressSink::Client progress);
  // An import not finished is cancelled (its lease goes, an unpack in
  // progress stops and removes its layer); waits for the thread.
  ~ImportSession();
  ImportSession(const ImportSession&) = delete;
  ImportSession& operator=(const ImportSession&) = delete;

  // The archive's next bytes; fails with the import's error once it failed.
  kj::Promise<void> write(kj::ArrayPtr<const kj::byte> data);
  // The archive has ended: resolves with the images once they are recorded
  // and every progress event was sent.
  kj::Promise<std::vector<metadata::Image>> finish();

 private:
  void run();  // the thread

  TransferStores stores_;
  std::string ns_;
  ImportOptions options_;
  BytePipe pipe_;
  ProgressChannel progress_;
  kj::Maybe<kj::Promise<std::vector<metadata::Image>>> result_;  // taken by finish()
  // Settled by the thread; held here because std::thread wants a noexcept-destructible callable.
  kj::Own<kj::CrossThreadPromiseFulfiller<std::vector<metadata::Image>>> resultFulfiller_;
  std::stop_source stop_;  // asks an unpack in progress to stop
  std::thread thread_;
};

}  // namespace tenon::transfer
