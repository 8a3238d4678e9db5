// ImageUnpacker end to end against the real parts: the content-local store,
// the metadata store, and each snapshotter plugin that loads here (overlayfs;
// aufs where the kernel has it). Layers are checked through a real mount of
// a view of the top chain ID.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "../content/content_store_fixture.hpp"
#include "../snapshots/snapshotter_fixture.hpp"
#include "images/platform.hpp"
#include "layer_tar.hpp"
#include "metadata/leases.hpp"
#include "transfer/sha256.hpp"
#include "unpack/chain_id.hpp"
#include "unpack/image_unpacker.hpp"

using namespace tenon;
using namespace tenon::unpack;
using tenon::unpack::test::TarEntry;
namespace ut = tenon::unpack::test;
namespace st = tenon::snapshots::test;

namespace {

const std::string kNs = "unpack-test";

struct TestImage {
  metadata::Descriptor target;
  std::string config;
  std::vector<std::string> layers;
  std::vector<std::string> diffIds;
};

// A content store, a metadata store and one snapshotter plugin, as tenond wires them.
struct Rig {
  content::test::World world;
  st::Snapshotter& plugin;
  std::map<std::string, snapshots::NamespacedSnapshotter> snapshotters;
  ImageUnpacker unpacker{world.store, *world.metadata, snapshotters};

  explicit Rig(st::Snapshotter& s) : plugin(s) {
    snapshotters.emplace(s.plugin.id, snapshots::NamespacedSnapshotter(s.plugin.id, s.table(), *world.metadata));
  }
  const snapshots::NamespacedSnapshotter& snapshotter() const { return snapshotters.at(plugin.plugin.id); }

  // An OCI image of `layers` (each a tar, gzip-compressed) stored in kNs;
  // `diffIds` replaces the config's when given (a lying config).
  TestImage image(const std::vector<std::vector<TarEntry>>& layers, std::vector<std::string> diffIds = {},
                  const std::string& architecture = "amd64") {
    TestImage image;
    nlohmann::json manifestLayers = nlohmann::json::array();
    for (const auto& entries : layers) {
      std::string blob = ut::makeTar(entries, ut::TarFilter::gzip);
      image.layers.push_back(world.put(kNs, blob));
      if (diffIds.size() < image.layers.size()) diffIds.push_back(transfer::sha256Of(ut::makeTar(entries)));
      manifestLayers.push_back({{"mediaType", "application/vnd.oci.image.layer.v1.tar+gzip"},
                                {"digest", image.layers.back()},
                                {"size", blob.size()}});
    }
    image.diffIds = diffIds;
    nlohmann::json config = {{"architecture", architecture}, {"os", "linux"},
                             {"rootfs", {{"type", "layers"}, {"diff_ids", diffIds}}}};
    std::string configText = config.dump();
    image.config = world.put(kNs, configText);
    nlohmann::json manifest = {{"schemaVersion", 2},
                               {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                               {"config", {{"mediaType", "application/vnd.oci.image.config.v1+json"},
                                           {"digest", image.config},
                                           {"size", configText.size()}}},
                               {"layers", manifestLayers}};
    std::string manifestText = manifest.dump();
    image.target = {"application/vnd.oci.image.manifest.v1+json", world.put(kNs, manifestText),
                    static_cast<std::int64_t>(manifestText.size()), {}};
    return image;
  }

  UnpackResult unpack(const TestImage& image, const std::string& lease = "", std::stop_token stop = {}) {
    return unpacker.unpack(request(image.target, lease), {}, std::move(stop));
  }
  UnpackRequest request(const metadata::Descriptor& target, const std::string& lease = "") const {
    return {kNs, "test-image", target, plugin.plugin.id, "", lease};
  }

  // The namespace's snapshot keys → whether committed.
  std::map<std::string, bool> snapshotKeys() const {
    std::map<std::string, bool> keys;
    for (const snapshots::Described& d : snapshotter().list(kNs))
      keys[d.record.key] = d.kind == snapshots::SnapshotKind::committed;
    return keys;
  }
  metadata::Labels configLabels(const TestImage& image) const {
    return world.store.info(kNs, image.config).labels;
  }
  std::vector<metadata::Lease> leases() const {
    return world.metadata->view([](const metadata::ReadTx& tx) { return metadata::leases::list(tx, kNs); });
  }
  std::string label() const { return "tenon.io/gc.ref.snapshot." + plugin.plugin.id; }
};

std::vector<TarEntry> baseLayer() {
  return {ut::dir("bin"), ut::file("bin/tool", "v1", 0755), ut::file("etc/motd", "hello"), ut::dir("var/cache"),
          ut::file("var/cache/old", "stale")};
}
std::vector<TarEntry> updateLayer() {
  return {ut::file("bin/tool", "v2", 04755), ut::file("etc/.wh.motd", ""), ut::file("var/cache/.wh..wh..opq", ""),
          ut::file("var/cache/new", "fresh")};
}

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

using tenon::test::errorFrom;

}  // namespace

TEST_CASE("an image's layers are committed under their chain IDs, readable through a view, its config labelled") {
  st::forEachSnapshotter([](st::Snapshotter& s) {
    Rig rig(s);
    TestImage image = rig.image({baseLayer(), updateLayer()});
    std::vector<std::string> chain = chainIds(image.diffIds);

    UnpackResult result = rig.unpack(image);
    CHECK(result.chainId == chain[1]);
    CHECK(result.applied == 2);
    CHECK(result.manifest == image.target.digest);
    CHECK(rig.snapshotKeys() == std::map<std::string, bool>{{chain[0], true}, {chain[1], true}});
    CHECK(rig.snapshotter().stat(kNs, chain[1]).record.parent == chain[0]);
    CHECK(rig.configLabels(image).at(rig.label()) == chain[1]);
    CHECK(rig.leases().empty());  // the unpack's own lease went with the label

    rig.snapshotter().view(kNs, "check", chain[1]);
    {
      ScopedMounts mounted(rig.snapshotter().mounts(kNs, "check"), s.mountPoint("check"));
      CHECK(read(mounted.root() / "bin/tool") == "v2");
      CHECK((std::filesystem::status(mounted.root() / "bin/tool").permissions() & std::filesystem::perms::set_uid) !=
            std::filesystem::perms::none);
      CHECK_FALSE(std::filesystem::exists(mounted.root() / "etc/motd"));
      CHECK_FALSE(std::filesystem::exists(mounted.root() / "var/cache/old"));
      CHECK(read(mounted.root() / "var/cache/new") == "fresh");
    }
    rig.snapshotter().remove(kNs, "check");
  });
}

TEST_CASE("a second unpack of the image, or of one sharing its base, reuses what is committed") {
  st::forEachSnapshotter([](st::Snapshotter& s) {
    Rig rig(s);
    TestImage image = rig.image({baseLayer(), updateLayer()});
    rig.unpack(image);
    UnpackResult again = rig.unpack(image);
    CHECK(again.applied == 0);
    CHECK(again.reused == 2);

    TestImage sibling = rig.image({baseLayer(), {ut::file("other", "o")}});
    UnpackResult shared = rig.unpack(sibling);
    CHECK(shared.applied == 1);
    CHECK(shared.reused == 1);
    CHECK(rig.snapshotKeys().size() == 3);
  });
}

TEST_CASE("two unpacks sharing layers at once apply each layer once") {
  st::forEachSnapshotter([](st::Snapshotter& s) {
    Rig rig(s);
    std::vector<TarEntry> big = baseLayer();
    big.push_back(ut::file("big", std::string(4 << 20, 'b')));
    TestImage a = rig.image({big, updateLayer()});
    TestImage b = rig.image({big, {ut::file("b-only", "b")}});
    UnpackResult ra, rb;
    std::thread other([&] { ra = rig.unpack(a); });
    rb = rig.unpack(b);
    other.join();
    CHECK(ra.applied + rb.applied == 3);
    CHECK(ra.reused + rb.reused == 1);
    CHECK(rig.snapshotKeys().size() == 3);
  });
}

TEST_CASE("a layer that does not hash to its diff_id is refused, naming it; nothing of it is left") {
  st::forEachSnapshotter([](st::Snapshotter& s) {
    Rig rig(s);
    std::string lie = transfer::sha256Of("not the layer");
    std::string base = transfer::sha256Of(ut::makeTar(baseLayer()));
    TestImage image = rig.image({baseLayer(), updateLayer()}, {base, lie});
    Error e = errorFrom([&] { rig.unpack(image); });
    CHECK(e.code() == TENON_INVALID_ARGUMENT);
    std::string message = e.what();
    CHECK_MESSAGE(message.find("layer " + image.layers[1] + " (2/2)") != std::string::npos, message);
    CHECK_MESSAGE(message.find("but the config's diff_id is " + lie) != std::string::npos, message);
    // The first layer is committed (held by nothing once the unpack's lease went); the second left nothing.
    CHECK(rig.snapshotKeys() == std::map<std::string, bool>{{base, true}});
    CHECK(rig.configLabels(image).count(rig.label()) == 0);
    CHECK(rig.leases().empty());
  });
}

TEST_CASE("a hostile layer is refused naming the layer and the entry; its snapshot is removed") {
  st::forEachSnapshotter([](st::Snapshotter& s) {
    Rig rig(s);
    TestImage image = rig.image({{ut::symLink("etc", "/etc"), ut::file("etc/passwd", "pwned")}});
    Error e = errorFrom([&] { rig.unpack(image); });
    CHECK(e.code() == TENON_INVALID_ARGUMENT);
    CHECK_MESSAGE(std::string(e.what()).find("layer " + image.layers[0] + " (1/1): entry \"etc/passwd\" refused") !=
                      std::string::npos,
                  e.what());
    CHECK(rig.snapshotKeys().empty());
  });
}

TEST_CASE("a cancelled unpack stops with cancelled and leaves no active snapshot") {
  st::forEachSnapshotter([](st::Snapshotter& s) {
    Rig rig(s);
    TestImage image = rig.image({baseLayer()});
    std::stop_source stop;
    stop.request_stop();
    Error e = errorFrom([&] { rig.unpack(image, "", stop.get_token()); });
    CHECK(e.code() == TENON_CANCELLED);
    CHECK(rig.snapshotKeys().empty());
  });
}

TEST_CASE("with the caller's lease the snapshots are held by it, and no lease of the unpack's own is made") {
  st::forEachSnapshotter([](st::Snapshotter& s) {
    Rig rig(s);
    rig.world.metadata->update([](metadata::WriteTx& tx) { metadata::leases::create(tx, kNs, {"mine", {}, 0, 0}); });
    TestImage image = rig.image({baseLayer(), updateLayer()});
    std::vector<std::string> chain = chainIds(image.diffIds);
    rig.unpack(image, "mine");
    auto held = rig.world.metadata->view(
        [](const metadata::ReadTx& tx) { return metadata::leases::resources(tx, kNs, "mine"); });
    std::string type = "snapshots/" + s.plugin.id;
    CHECK(held == std::vector<metadata::LeaseResource>{{type, chain[0]}, {type, chain[1]}});
    CHECK(rig.leases().size() == 1);
    CHECK(errorFrom([&] { rig.unpack(image, "no-such-lease"); }).code() == TENON_NOT_FOUND);
  });
}

TEST_CASE("an index is unpacked for the host's platform, or the one asked for; none matching is not found") {
  st::forEachSnapshotter([](st::Snapshotter& s) {
    Rig rig(s);
    TestImage arm = rig.image({{ut::file("arch", "arm64")}}, {}, "arm64");
    nlohmann::json index = {{"schemaVersion", 2},
                            {"mediaType", "application/vnd.oci.image.index.v1+json"},
                            {"manifests",
                             {{{"mediaType", arm.target.mediaType},
                               {"digest", arm.target.digest},
                               {"size", arm.target.size},
                               {"platform", {{"os", "linux"}, {"architecture", "arm64"}}}}}}};
    std::string text = index.dump();
    metadata::Descriptor target{"application/vnd.oci.image.index.v1+json", rig.world.put(kNs, text),
                                static_cast<std::int64_t>(text.size()), {}};
    if (images::hostPlatform().architecture != "arm64") {
      CHECK_FALSE(rig.unpacker.unpackIfPresent(rig.request(target), {}).has_value());
      Error e = errorFrom([&] { rig.unpacker.unpack(rig.request(target), {}); });
      CHECK(e.code() == TENON_NOT_FOUND);
      CHECK(std::string(e.what()).find("has no manifest for linux/") != std::string::npos);
    }
    UnpackRequest armRequest = rig.request(target);
    armRequest.platform = "linux/arm64";
    CHECK(rig.unpacker.unpack(armRequest, {}).chainId == arm.diffIds[0]);
    armRequest.platform = "linux";
    CHECK(errorFrom([&] { rig.unpacker.unpack(armRequest, {}); }).code() == TENON_INVALID_ARGUMENT);
  });
}
