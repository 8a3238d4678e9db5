#include "rpc_client.hpp"

#include <kj/debug.h>

#include <stdexcept>

namespace tenon::test {
namespace {

kj::Own<kj::AsyncIoStream> connectTo(kj::AsyncIoContext& io, const std::string& socketPath) {
  try {
    auto address = io.provider->getNetwork().parseAddress(("unix:" + socketPath).c_str()).wait(io.waitScope);
    return address->connect().wait(io.waitScope);
  } catch (const kj::Exception& e) {
    throw std::runtime_error("cannot connect to " + socketPath + ": " + e.getDescription().cStr());
  }
}

void fill(const ContainerRecord& from, rpc::Container::Builder out) {
  out.setId(from.id);
  out.setImage(from.image);
  out.initRuntime().setName(from.runtime);
  out.setSpec(from.spec);
  out.setSnapshotter(from.snapshotter);
  out.setSnapshotKey(from.snapshotKey);
  auto labels = out.initLabels(from.labels.size());
  unsigned i = 0;
  for (const auto& [key, value] : from.labels) {
    labels[i].setKey(key);
    labels[i].setValue(value);
    ++i;
  }
}

}  // namespace

RpcClient::RpcClient(const std::string& socketPath)
    : io_(kj::setupAsyncIo()),
      stream_(connectTo(io_, socketPath)),
      client_(*stream_),
      tenon_(client_.bootstrap().castAs<rpc::Tenon>()) {}

std::string RpcClient::outcome(kj::Promise<void> promise) {
  auto timeout = io_.provider->getTimer().afterDelay(20 * kj::SECONDS).then([]() -> kj::Promise<void> {
    return KJ_EXCEPTION(FAILED, "test client: no answer from tenond within 20 s");
  });
  try {
    promise.exclusiveJoin(kj::mv(timeout)).wait(io_.waitScope);
    return "";
  } catch (const kj::Exception& e) {
    std::string description = e.getDescription().cStr();
    const std::string remote = "remote exception: ";
    if (description.starts_with(remote)) description.erase(0, remote.size());
    return description;
  }
}

std::string RpcClient::createContainer(const std::string& ns, const ContainerRecord& container) {
  auto request = tenon_.containersRequest().send().getService().createRequest();
  request.initCtx().setNamespace(ns);
  fill(container, request.initContainer());
  return outcome(request.send().ignoreResult());
}

std::string RpcClient::updateContainer(const std::string& ns, const ContainerRecord& container,
                                       const std::vector<std::string>& fields) {
  auto request = tenon_.containersRequest().send().getService().updateRequest();
  request.initCtx().setNamespace(ns);
  fill(container, request.initContainer());
  auto list = request.initFields(fields.size());
  for (unsigned i = 0; i < fields.size(); ++i) list.set(i, fields[i]);
  return outcome(request.send().ignoreResult());
}

std::string RpcClient::createImage(const std::string& ns, const std::string& name, const std::string& digest) {
  auto request = tenon_.imagesRequest().send().getService().createRequest();
  request.initCtx().setNamespace(ns);
  auto image = request.initImage();
  image.setName(name);
  auto target = image.initTarget();
  target.setMediaType("application/vnd.oci.image.manifest.v1+json");
  target.setDigest(digest);
  target.setSize(1234);
  return outcome(request.send().ignoreResult());
}

std::string RpcClient::publish(const std::string& ns, const std::string& topic, const std::string& payload) {
  auto request = tenon_.eventsRequest().send().getService().publishRequest();
  request.initCtx().setNamespace(ns);
  request.setTopic(topic);
  request.setPayload(payload);
  return outcome(request.send().ignoreResult());
}

}  // namespace tenon::test
