// What the unpack integration tests share: a tenond with the in-tree content
// store and overlayfs snapshotter, OCI archives of images built here layer by
// layer (the busybox layer umoci made, layers of our own, hostile ones), and
// short ways to ask ctr about snapshots.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "../../unit/unpack/layer_tar.hpp"
#include "image_archives.hpp"

namespace tenon::test {

using unpack::test::TarEntry;

DaemonOptions unpackDaemonOptions();


// The keys `ctr -n NS snapshots ls -q` prints.
std::vector<std::string> snapshotKeys(const TestDaemon& daemon, const std::string& ns = "default");

// Chain IDs computed here, from the OCI image spec's formula, independently of tenond.
std::vector<std::string> chainIdsOf(const std::vector<std::string>& diffIds);

// One layer as an image holds it: the gzip blob and the diff_id of its tar.
struct Layer {
  std::string blob;
  std::string diffId;
};
Layer layerOf(const std::vector<TarEntry>& entries);
// The layers of the busybox image umoci built, in order.
std::vector<Layer> busyboxLayers();

// An OCI layout tar at `path` holding one linux image of `layers`, its index
// entry naming it `name`. Returns the chain IDs of its layers.
std::vector<std::string> writeImageArchive(const std::string& path, const std::vector<Layer>& layers,
                                           const std::string& name);

}  // namespace tenon::test
