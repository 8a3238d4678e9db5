#include "push/push_session.hpp"

#include <tenon/error.hpp>

#include "images/stored_blobs.hpp"
#include "push/image_pusher.hpp"
#include "push/push_plan.hpp"
#include "registry/reference.hpp"
#include "rpc/rpc_errors.hpp"

namespace tenon::push {
namespace {

// The image record `name` names: the one of that exact name, else the one
// named by its normalisation (pulls record "busybox" as
// docker.io/library/busybox:latest).
metadata::Image localImage(const metadata::ReadTx& tx, const std::string& ns, const std::string& name) {
  if (auto image = metadata::images::find(tx, ns, name)) return *image;
  std::string normalised;
  try {
    normalised = registry::parseReference(name).text();
  } catch (const Error&) {
    normalised = name;
  }
  return metadata::images::get(tx, ns, normalised);
}

}  // namespace

PushSession::PushSession(content::ContentStore& content, metadata::MetadataStore& metadata,
                         const transfer::RegistryAccess& access, PushRequest request,
                         rpc::Credentials::Client credentials, rpc::ProgressSink::Client progress)
    : content_(content),
      metadata_(metadata),
      access_(access),
      request_(std::move(request)),
      credentials_(kj::mv(credentials)),
      progress_(kj::mv(progress)),
      thread_(progress_) {
  thread_.start([this](std::stop_token stop) { return run(std::move(stop)); });
}

std::string PushSession::run(std::stop_token stop) {
  registry::Reference target = registry::parseReference(request_.reference);
  const std::string& name = request_.local.empty() ? request_.reference : request_.local;
  metadata::Image image =
      metadata_.view([&](const metadata::ReadTx& tx) { return localImage(tx, request_.ns, name); });
  images::StoredBlobs stored(content_, request_.ns);
  PushPlan plan = planPush(stored, image.target, image.name, request_.platforms);
  ImagePusher pusher(content_, request_.ns, progress_);
  auto registry = transfer::openRegistry(access_, target, request_.registry, credentials_.lookup(), pusher.notice());
  return pusher.push(*registry, plan, access_.maxConcurrentUploads, stop);
}

}  // namespace tenon::push
