#include "transfer/transfer_service.hpp"

#include <memory>
#include <tenon/error.hpp>

#include "images/images_service.hpp"
#include "rpc/request_context.hpp"
#include "rpc/rpc_errors.hpp"
#include "transfer/export_session.hpp"
#include "transfer/unpack_session.hpp"

namespace tenon::transfer {

namespace {

// The capability the client streams an archive into. Shares the session with
// calls in flight, so that the session outlives a client that lets go early.
class ImportStreamImpl final : public rpc::ImportStream::Server {
 public:
  explicit ImportStreamImpl(std::shared_ptr<ImportSession> session) : session_(std::move(session)) {}

 protected:
  kj::Promise<void> write(WriteContext context) override {
    return session_->write(context.getParams().getData()).attach(std::shared_ptr<ImportSession>(session_));
  }

  kj::Promise<void> finish(FinishContext context) override {
    return session_->finish().then([context, session = session_](std::vector<metadata::Image> images) mutable {
      auto out = context.getResults().initImages(images.size());
      for (size_t i = 0; i < images.size(); ++i) images::toRpc(images[i], out[i]);
    });
  }

 private:
  std::shared_ptr<ImportSession> session_;
};

}  // namespace

TransferService::TransferService(content::ContentStore* content, metadata::MetadataStore& metadata,
                                 const std::map<std::string, snapshots::NamespacedSnapshotter>& snapshotters,
                                 std::function<void()> afterImport, unpack::UnpackLimits limits)
    : content_(content), metadata_(metadata), afterImport_(std::move(afterImport)) {
  if (content_ != nullptr) unpacker_.emplace(*content_, metadata_, snapshotters, limits);
}

TransferStores TransferService::stores() {
  if (content_ == nullptr) fail(TENON_UNAVAILABLE, "no content plugin is loaded (see ctr plugins ls)");
  return {*content_, metadata_, afterImport_, *unpacker_};
}

kj::Promise<void> TransferService::import(ImportContext context) {
  return rpc::serveAsync([&] {
    auto params = context.getParams();
    std::string ns = rpc::requestNamespace(params.getCtx());
    auto options = params.getOptions();
    ImportOptions wanted{options.getName().cStr(), options.getAllPlatforms(), options.getIndexName().cStr(),
                         !options.getNoUnpack(), options.getSnapshotter().cStr()};
    if (wanted.snapshotter.empty()) wanted.snapshotter = "overlayfs";
    auto session = std::make_shared<ImportSession>(stores(), ns, wanted, params.getProgress());
    context.getResults().setStream(kj::heap<ImportStreamImpl>(std::move(session)));
    return kj::Promise<void>(kj::READY_NOW);
  });
}

kj::Promise<void> TransferService::export_(ExportContext context) {
  return rpc::serveAsync([&] {
    auto params = context.getParams();
    std::string ns = rpc::requestNamespace(params.getCtx());
    std::vector<std::string> names;
    for (auto name : params.getNames()) names.emplace_back(name.cStr());
    auto session = kj::heap<ExportSession>(stores(), ns, std::move(names), params.getSink(), params.getProgress());
    return session->done().attach(kj::mv(session));
  });
}

kj::Promise<void> TransferService::unpack(UnpackContext context) {
  return rpc::serveAsync([&] {
    auto params = context.getParams();
    unpack::UnpackRequest request;
    request.ns = rpc::requestNamespace(params.getCtx());
    request.image = params.getImage().cStr();
    if (request.image.empty()) fail(TENON_INVALID_ARGUMENT, "unpack needs an image name");
    if (params.getSnapshotter().size() > 0) request.snapshotter = params.getSnapshotter().cStr();
    request.platform = params.getPlatform().cStr();
    request.lease = rpc::requestLease(params.getCtx());
    TransferStores s = stores();
    auto session =
        kj::heap<UnpackSession>(s.metadata, s.unpacker, std::move(request), params.getProgress(), afterImport_);
    return session->result()
        .then([context](unpack::UnpackResult result) mutable {
          auto results = context.getResults();
          results.setChainId(result.chainId);
          const auto* config = reinterpret_cast<const kj::byte*>(result.config.data());
          results.setConfig(kj::arrayPtr(config, result.config.size()));
        })
        .attach(kj::mv(session));
  });
}

}  // namespace tenon::transfer
