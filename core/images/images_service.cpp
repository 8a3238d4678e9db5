#include "images/images_service.hpp"

#include <memory>

#include "rpc/labels.hpp"
#include "rpc/request_context.hpp"
#include "rpc/rpc_errors.hpp"

namespace tenon::images {

namespace {

std::string text(capnp::Text::Reader t) { return {t.begin(), t.size()}; }

// containerd's ImageCreate / ImageUpdate fields.
nlohmann::json eventPayload(const metadata::Image& image) { return {{"name", image.name}, {"labels", image.labels}}; }

}  // namespace

void toRpc(const metadata::Image& image, rpc::Image::Builder out) {
  out.setName(image.name.c_str());
  auto target = out.initTarget();
  target.setMediaType(image.target.mediaType.c_str());
  target.setDigest(image.target.digest.c_str());
  target.setSize(image.target.size);
  rpc::toRpc(image.target.annotations, target.initAnnotations(image.target.annotations.size()));
  rpc::toRpc(image.labels, out.initLabels(image.labels.size()));
  out.setCreatedAt(image.createdAt);
  out.setUpdatedAt(image.updatedAt);
}

metadata::Descriptor fromRpc(rpc::Descriptor::Reader d) {
  return {text(d.getMediaType()), text(d.getDigest()), d.getSize(), rpc::fromRpc(d.getAnnotations())};
}

metadata::Image fromRpc(rpc::Image::Reader image) {
  return {text(image.getName()), fromRpc(image.getTarget()), rpc::fromRpc(image.getLabels()), 0, 0};
}

kj::Promise<void> ImagesService::get(GetContext context) {
  return rpc::serveAsync([&] {
    std::string ns = rpc::requestNamespace(context.getParams().getCtx());
    std::string name = text(context.getParams().getName());
    return pool_.run([this, ns, name] { return store_.get(ns, name); })
        .then([context](metadata::Image image) mutable { toRpc(image, context.getResults().initImage()); });
  });
}

kj::Promise<void> ImagesService::list(ListContext context) {
  return rpc::serveAsync([&] {
    std::string ns = rpc::requestNamespace(context.getParams().getCtx());
    std::vector<std::string> texts;
    for (auto f : context.getParams().getFilters()) texts.push_back(text(f));
    auto filter = std::make_shared<filters::Filter>(filters::Filter::parse(texts));
    return pool_.run([this, ns, filter] { return store_.list(ns, *filter); })
        .then([context](std::vector<metadata::Image> images) mutable {
          auto out = context.getResults().initImages(images.size());
          for (size_t i = 0; i < images.size(); ++i) toRpc(images[i], out[i]);
        });
  });
}

kj::Promise<void> ImagesService::create(CreateContext context) {
  return rpc::serveAsync([&] {
    std::string ns = rpc::requestNamespace(context.getParams().getCtx());
    metadata::Image image = fromRpc(context.getParams().getImage());
    return pool_.run([this, ns, image] {
             auto created = store_.create(ns, image);
             events_.publish(ns, "/images/create", eventPayload(created));
             return created;
           })
        .then([context](metadata::Image created) mutable { toRpc(created, context.getResults().initImage()); });
  });
}

kj::Promise<void> ImagesService::update(UpdateContext context) {
  return rpc::serveAsync([&] {
    auto params = context.getParams();
    std::string ns = rpc::requestNamespace(params.getCtx());
    metadata::Image wanted = fromRpc(params.getImage());
    std::vector<std::string> fields;
    for (auto f : params.getFields()) fields.push_back(text(f));
    return pool_.run([this, ns, wanted, fields] {
             auto updated = store_.update(ns, wanted, fields);
             events_.publish(ns, "/images/update", eventPayload(updated));
             return updated;
           })
        .then([context](metadata::Image updated) mutable { toRpc(updated, context.getResults().initImage()); });
  });
}

kj::Promise<void> ImagesService::delete_(DeleteContext context) {
  return rpc::serveAsync([&] {
    std::string ns = rpc::requestNamespace(context.getParams().getCtx());
    std::string name = text(context.getParams().getName());
    return pool_.run([this, ns, name] {
      store_.remove(ns, name);
      events_.publish(ns, "/images/delete", {{"name", name}});
      if (afterDelete_) afterDelete_();
    });
  });
}

}  // namespace tenon::images
