// What the containers and events tests share: a tenond with the in-tree content store,
// overlayfs snapshotter and runc runtime (containers name a loaded runtime), and ctr calls
// that must succeed.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "content_fixture.hpp"
#include "rpc_client.hpp"

#ifndef SNAPSHOT_OVERLAY_PLUGIN
#error "meson defines SNAPSHOT_OVERLAY_PLUGIN, the path of the built snapshot-overlay plugin"
#endif

namespace tenon::test {

inline DaemonOptions containerDaemonOptions() {
  DaemonOptions options = contentDaemonOptions();
  options.pluginFiles.push_back(SNAPSHOT_OVERLAY_PLUGIN);
  options.pluginFiles.push_back(RUNTIME_RUNC_PLUGIN);
  return options;
}


// A digest of 64 times `hex`, for records whose content the test never stores.
inline std::string fakeDigest(char hex) { return "sha256:" + std::string(64, hex); }

}  // namespace tenon::test
