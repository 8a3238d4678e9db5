// The daemon's side of one export call: ArchiveExport writes the tar on a
// thread of its own into a bounded pipe, and a pump on the event loop sends
// it to the client's ByteSink one streaming write at a time, so a slow client
// slows the export instead of filling the daemon's memory.
#pragma once

#include <kj/async.h>

#include <string>
#include <thread>
#include <vector>

#include "content.capnp.h"
#include "transfer/byte_pipe.hpp"
#include "transfer/import_session.hpp"
#include "transfer/progress_channel.hpp"

namespace tenon::transfer {

class ExportSession {
 public:
  // Starts the export's thread. Create on the event loop's thread.
  ExportSession(TransferStores stores, std::string ns, std::vector<std::string> names, rpc::ByteSink::Client sink,
                rpc::ProgressSink::Client progress);
  // An export not done is cancelled; waits for the thread.
  ~ExportSession();
  ExportSession(const ExportSession&) = delete;
  ExportSession& operator=(const ExportSession&) = delete;

  // Resolves once the sink has every byte (and done() returned) and every
  // progress event was sent; rejects with the export's error.
  kj::Promise<void> done();

 private:
  void run();  // the thread
  kj::Promise<void> pump();

  TransferStores stores_;
  std::string ns_;
  std::vector<std::string> names_;
  rpc::ByteSink::Client sink_;
  BytePipe pipe_;
  ProgressChannel progress_;
  kj::Maybe<kj::Promise<void>> result_;
  // Settled by the thread; held here because std::thread wants a noexcept-destructible callable.
  kj::Own<kj::CrossThreadPromiseFulfiller<void>> resultFulfiller_;
  std::thread thread_;
};

}  // namespace tenon::transfer
