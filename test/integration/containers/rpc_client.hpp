// A Cap'n Proto client of a test tenond for what ctr has no command for: creating
// and updating container records (ctr's `create` belongs with `ctr run`), creating an
// image record from a bare descriptor, and publishing probe events. Built on the public
// schema only, like ctr. Each call returns "" on success, or the error's description
// ("already_exists: ...") for the test to check.
#pragma once

#include <capnp/rpc-twoparty.h>
#include <kj/async-io.h>

#include <map>
#include <string>
#include <vector>

#include "tenon.capnp.h"

namespace tenon::test {

// A container record as a test writes it.
// Every field has an initializer, so that designated initializers may leave any out.
struct ContainerRecord {
  std::string id{};
  std::string image{};
  std::string runtime{};  // "" for the daemon's default
  std::string spec = R"({"ociVersion":"1.0.2","process":{"args":["sh"]}})";
  std::string snapshotter{};
  std::string snapshotKey{};
  std::map<std::string, std::string> labels{};
};

class RpcClient {
 public:
  // Connects to the daemon's socket; throws std::runtime_error when it cannot.
  explicit RpcClient(const std::string& socketPath);

  std::string createContainer(const std::string& ns, const ContainerRecord& container);
  // Takes `fields` from `container` (containers.capnp's update).
  std::string updateContainer(const std::string& ns, const ContainerRecord& container,
                              const std::vector<std::string>& fields);
  // An image record pointing at a manifest that need not be in the content store.
  std::string createImage(const std::string& ns, const std::string& name, const std::string& digest);
  std::string publish(const std::string& ns, const std::string& topic, const std::string& payload);

 private:
  // Waits (at most 20 s) for `promise`: "" or the error's description.
  std::string outcome(kj::Promise<void> promise);

  kj::AsyncIoContext io_;
  kj::Own<kj::AsyncIoStream> stream_;
  capnp::TwoPartyClient client_;
  rpc::Tenon::Client tenon_;
};

}  // namespace tenon::test
