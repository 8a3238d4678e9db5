#include "container_setup.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <random>
#include <tenon/error.hpp>
#include <tenon/mounter.hpp>

#include "commands/images_commands.hpp"
#include "containers.capnp.h"
#include "errors.hpp"
#include "labels.hpp"
#include "leases.capnp.h"
#include "oci/image_config.hpp"
#include "oci/spec_builder.hpp"
#include "oci/user_lookup.hpp"
#include "snapshots.capnp.h"
#include "transfer_progress.hpp"

namespace tenon::ctr {

namespace {

struct Unpacked {
  std::string chainId;
  std::string config;  // the image config blob
};

Unpacked unpackImage(Connection& connection, const ContainerFlags& flags, const std::string& image, bool quiet) {
  auto progress = std::make_shared<TransferProgress>(quiet);
  auto request = transferService(connection).unpackRequest();
  connection.setContext(request.initCtx());
  request.setImage(image);
  request.setSnapshotter(flags.snapshotter);
  request.setPlatform(flags.platform);
  request.setProgress(progressSink(progress));
  auto reply = connection.wait(request.send());
  progress->finish();
  return {toString(reply.getChainId()), std::string(reinterpret_cast<const char*>(reply.getConfig().begin()),
                                                    reply.getConfig().size())};
}

rpc::Snapshots::Client snapshots(Connection& connection, const std::string& name) {
  auto request = connection.tenon().snapshotsRequest();
  request.setName(name);
  return request.send().getService();
}

std::vector<Mount> fromRpc(capnp::List<rpc::Mount>::Reader list) {
  std::vector<Mount> mounts;
  for (auto m : list) {
    Mount& out = mounts.emplace_back(Mount{toString(m.getType()), toString(m.getSource()), toString(m.getTarget()), {}});
    for (auto o : m.getOptions()) out.options.push_back(toString(o));
  }
  return mounts;
}

void removeSnapshot(Connection& connection, const std::string& snapshotter, const std::string& key) {
  auto request = snapshots(connection, snapshotter).removeRequest();
  connection.setContext(request.initCtx());
  request.setKey(key);
  connection.wait(request.send());
}

bool isNumber(std::string_view text) {
  uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && error == std::errc() && end == text.data() + text.size();
}

// Whether resolving `user` needs the image's /etc/passwd or /etc/group: not
// for root by default or a numeric uid:gid, which saves a mount per run.
bool needsAccountFiles(std::string_view user) {
  if (user.empty()) return false;
  size_t colon = user.find(':');
  return colon == std::string_view::npos || !isNumber(user.substr(0, colon)) || !isNumber(user.substr(colon + 1));
}

// Resolves `user` inside a read-only view of the image's top snapshot, mounted for the lookup alone.
oci::User lookUpUser(Connection& connection, const ContainerFlags& flags, const std::string& chainId,
                     std::string_view user) {
  std::string key = fmt::format("ctr-user-lookup-{:x}", std::random_device{}());
  auto request = snapshots(connection, flags.snapshotter).viewRequest();
  connection.setContext(request.initCtx());
  request.setKey(key);
  request.setParent(chainId);
  std::vector<Mount> mounts = fromRpc(connection.wait(request.send()).getMounts());
  struct RemoveView {
    Connection& connection;
    const std::string& snapshotter;
    const std::string& key;
    ~RemoveView() {
      try {
        removeSnapshot(connection, snapshotter, key);
      } catch (...) {
        // Collected later: a view no one references.
      }
    }
  } removeView{connection, flags.snapshotter, key};
  std::string dir = fmt::format("{}/tenon-rootfs-{}", std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp", key);
  struct RemoveDir {
    const std::string& dir;
    ~RemoveDir() { ::rmdir(dir.c_str()); }
  } removeDir{dir};
  ScopedMounts rootfs(mounts, dir);
  return oci::resolveUser(dir, user);
}

oci::User resolveUser(Connection& connection, const ContainerFlags& flags, const std::string& chainId,
                      std::string_view user) {
  if (needsAccountFiles(user)) return lookUpUser(connection, flags, chainId, user);
  std::string spec = user.empty() ? "0:0" : std::string(user);
  uint32_t uid = static_cast<uint32_t>(std::stoul(spec.substr(0, spec.find(':'))));
  uint32_t gid = static_cast<uint32_t>(std::stoul(spec.substr(spec.find(':') + 1)));
  return oci::User{uid, gid, {gid}};
}

void recordContainer(Connection& connection, const ContainerFlags& flags, const NewContainer& request,
                     const std::string& spec) {
  auto create = connection.tenon().containersRequest().send().getService().createRequest();
  connection.setContext(create.initCtx());
  auto c = create.initContainer();
  c.setId(request.id);
  c.setImage(request.image);
  c.initRuntime().setName(flags.runtime);
  c.setSpec(spec);
  c.setSnapshotter(flags.snapshotter);
  c.setSnapshotKey(request.id);
  Labels labels = parseLabels(flags.labels);
  toRpc(labels, c.initLabels(labels.size()));
  connection.wait(create.send());
}

// Holds what a container's creation makes (its snapshot above all) against
// garbage collection until the container record references it, as
// containerd's client does with a lease per operation. Removed on exit.
class CreationLease {
 public:
  CreationLease(Connection& connection, const GlobalOptions& options) : connection_(connection) {
    if (!options.lease.empty()) return;  // the user's lease holds it already
    id_ = fmt::format("ctr-create-{:016x}", std::random_device{}() * 0x100000000ull + std::random_device{}());
    auto request = connection.tenon().leasesRequest().send().getService().createRequest();
    connection.setContext(request.initCtx());
    request.setId(id_);
    request.setExpiresAt(expiry());
    connection.wait(request.send());
    connection.useLease(id_);
  }
  ~CreationLease() {
    if (id_.empty()) return;
    connection_.useLease("");
    try {
      auto request = connection_.tenon().leasesRequest().send().getService().deleteRequest();
      connection_.setContext(request.initCtx());
      request.setId(id_);
      connection_.wait(request.send());
    } catch (...) {
      // It expires by itself.
    }
  }
  CreationLease(const CreationLease&) = delete;
  CreationLease& operator=(const CreationLease&) = delete;

 private:
  // An hour from now, in ns since the epoch: a crashed ctr's lease lapses.
  static int64_t expiry() {
    using namespace std::chrono;
    return duration_cast<nanoseconds>((system_clock::now() + hours(1)).time_since_epoch()).count();
  }

  Connection& connection_;
  std::string id_;
};

}  // namespace

void createContainer(Connection& connection, const GlobalOptions& options, const ContainerFlags& flags,
                     const NewContainer& request, bool quiet) {
  CreationLease lease(connection, options);
  oci::SpecOptions specOptions = ctr::specOptions(flags, options.ns, request.id, request.args);
  Unpacked image = unpackImage(connection, flags, request.image, quiet);
  oci::ImageConfig config = oci::parseImageConfig(image.config);
  oci::User user = resolveUser(connection, flags, image.chainId, oci::requestedUser(config, specOptions));
  std::string spec = oci::buildSpec(config, specOptions, user).dump();

  auto prepare = snapshots(connection, flags.snapshotter).prepareRequest();
  connection.setContext(prepare.initCtx());
  prepare.setKey(request.id);
  prepare.setParent(image.chainId);
  try {
    connection.wait(prepare.send());
  } catch (...) {
    // The snapshot is keyed by the container id: taken means the container exists.
    if (describe(std::current_exception()).code == "already_exists")
      fail(TENON_ALREADY_EXISTS, fmt::format("container {:?} already exists", request.id));
    throw;
  }
  try {
    recordContainer(connection, flags, request, spec);
  } catch (...) {
    try {
      removeSnapshot(connection, flags.snapshotter, request.id);
    } catch (...) {
      // The record failed; the snapshot is unreferenced and GC takes it.
    }
    throw;
  }
}

}  // namespace tenon::ctr
