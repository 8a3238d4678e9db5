#include "transfer/transfer_service.hpp"

#include <memory>
#include <tenon/error.hpp>

#include "images/images_service.hpp"
#include "pull/pull_session.hpp"
#include "push/push_session.hpp"
#include "rpc/request_context.hpp"
#include "rpc/rpc_errors.hpp"
#include "transfer/export_session.hpp"
#include "transfer/unpack_session.hpp"

namespace tenon::transfer {

namespace {

std::string text(capnp::Text::Reader t) { return {t.begin(), t.size()}; }

// containerd's ImageCreate / ImageUpdate, as the images service publishes them.
void publishImage(events::Publisher& events, const std::string& ns, const metadata::Image& image, bool created) {
  events.publish(ns, created ? "/images/create" : "/images/update", {{"name", image.name}, {"labels", image.labels}});
}

RegistryRequest registryRequest(rpc::RegistryOptions::Reader options) {
  return {text(options.getHostsDir()), options.getPlainHttp(), options.getSkipVerify()};
}

// The capability the client streams an archive into. Shares the session with
// calls in flight, so that the session outlives a client that lets go early.
class ImportStreamImpl final : public rpc::ImportStream::Server {
 public:
  ImportStreamImpl(std::shared_ptr<ImportSession> session, events::Publisher& events, std::string ns)
      : session_(std::move(session)), events_(events), ns_(std::move(ns)) {}

 protected:
  kj::Promise<void> write(WriteContext context) override {
    return session_->write(context.getParams().getData()).attach(std::shared_ptr<ImportSession>(session_));
  }

  kj::Promise<void> finish(FinishContext context) override {
    return session_->finish().then([&events = events_, ns = ns_, context,
                                    session = session_](std::vector<metadata::Image> images) mutable {
      auto out = context.getResults().initImages(images.size());
      for (size_t i = 0; i < images.size(); ++i) {
        images::toRpc(images[i], out[i]);
        // putImage sets both times on create and bumps only updatedAt on a re-target.
        publishImage(events, ns, images[i], images[i].createdAt == images[i].updatedAt);
      }
    });
  }

 private:
  std::shared_ptr<ImportSession> session_;
  events::Publisher& events_;
  std::string ns_;
};

}  // namespace

TransferService::TransferService(content::ContentStore* content, metadata::MetadataStore& metadata,
                                 const std::map<std::string, snapshots::NamespacedSnapshotter>& snapshotters,
                                 std::function<void()> afterImport, events::Publisher& events,
                                 RegistryAccess registries, unpack::UnpackLimits limits)
    : content_(content),
      metadata_(metadata),
      afterImport_(std::move(afterImport)),
      events_(events),
      registries_(std::move(registries)) {
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
    context.getResults().setStream(kj::heap<ImportStreamImpl>(std::move(session), events_, ns));
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
    context.allowCancellation();  // a client that goes away stops the unpack (its thread never waits on the loop)
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

kj::Promise<void> TransferService::pull(PullContext context) {
  return rpc::serveAsync([&] {
    auto params = context.getParams();
    auto options = params.getOptions();
    pull::PullRequest request;
    request.ns = rpc::requestNamespace(params.getCtx());
    request.reference = text(options.getReference());
    request.registry = registryRequest(options.getRegistry());
    for (auto platform : options.getPlatforms()) request.platforms.push_back(text(platform));
    request.allPlatforms = options.getAllPlatforms();
    request.unpack = !options.getNoUnpack();
    if (options.getSnapshotter().size() > 0) request.snapshotter = text(options.getSnapshotter());
    request.allowForeignUrls = options.getAllowForeignUrls();
    request.maxConcurrentDownloads = options.getMaxConcurrentDownloads();
    request.lease = rpc::requestLease(params.getCtx());
    TransferStores s = stores();
    std::string ns = request.ns;
    auto session = std::make_shared<pull::PullSession>(
        pull::PullStores{s.content, s.metadata, s.unpacker, downloads_, registries_}, std::move(request),
        params.getCredentials(), params.getProgress(), afterImport_);
    auto pulled = session->result().then([&events = events_, context, ns](pull::PulledImage pulled) mutable {
      publishImage(events, ns, pulled.image, pulled.created);
      images::toRpc(pulled.image, context.getResults().initImage());
    });
    context.allowCancellation();  // a client that goes away stops the pull
    return sessions_.keep(std::move(session), kj::mv(pulled));
  });
}

kj::Promise<void> TransferService::push(PushContext context) {
  return rpc::serveAsync([&] {
    auto params = context.getParams();
    auto options = params.getOptions();
    push::PushRequest request;
    request.ns = rpc::requestNamespace(params.getCtx());
    request.reference = text(options.getReference());
    request.local = text(options.getLocal());
    request.registry = registryRequest(options.getRegistry());
    for (auto platform : options.getPlatforms()) request.platforms.push_back(text(platform));
    TransferStores s = stores();
    auto session = std::make_shared<push::PushSession>(s.content, s.metadata, registries_, std::move(request),
                                                       params.getCredentials(), params.getProgress());
    context.allowCancellation();  // a client that goes away stops the push
    auto pushed = session->result().then([context](std::string digest) mutable {
      context.getResults().setDigest(digest);
    });
    return sessions_.keep(std::move(session), kj::mv(pushed));
  });
}

}  // namespace tenon::transfer
