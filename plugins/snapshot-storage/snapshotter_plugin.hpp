// The state of an in-tree snapshotter plugin between init and fini: a
// DirectorySnapshotter in the plugin's root, registered as a snapshotter
// service. A plugin is a subclass naming its service, its filesystem and its
// layout:
//   class AufsPlugin : public SnapshotterPlugin {
//    public:
//     explicit AufsPlugin(Host host) : SnapshotterPlugin(host, "aufs", "aufs", makeLayout<AufsLayout>) {}
//   };
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <tenon/plugin.hpp>

#include "directory_snapshotter.hpp"
#include "snapshot_layout.hpp"

namespace tenon::snapshot_storage {

using MakeLayout = std::unique_ptr<const SnapshotLayout> (*)(std::filesystem::path root);

template <class Layout>
std::unique_ptr<const SnapshotLayout> makeLayout(std::filesystem::path root) {
  return std::make_unique<const Layout>(std::move(root));
}

class SnapshotterPlugin {
 public:
  // Fails (so init fails, and the core shows why) unless the kernel mounts
  // `filesystem`: nothing the plugin hands out could be mounted without it.
  SnapshotterPlugin(const Host& host, const std::string& service, std::string_view filesystem, MakeLayout makeLayout);

 private:
  DirectorySnapshotter snapshotter_;
};

}  // namespace tenon::snapshot_storage
