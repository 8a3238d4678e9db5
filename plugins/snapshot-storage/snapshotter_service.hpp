// The C table of the snapshotter service (sdk/include/tenon/snapshotter.h)
// over a DirectorySnapshotter: arguments checked, C labels and sinks turned
// into C++ and back. Every entry point turns exceptions into a status here
// (tenon::guard), the one place they stop before crossing into the core.
#pragma once

#include <tenon/snapshotter.h>

namespace tenon::snapshot_storage {

// The table, static for the life of the plugin; its `self` is a DirectorySnapshotter*.
const tenon_snapshotter_service& snapshotterService();

}  // namespace tenon::snapshot_storage
