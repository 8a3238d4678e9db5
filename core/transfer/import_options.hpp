// What a client may ask of an import (transfer.capnp's ImportOptions).
#pragma once

#include <string>

namespace tenon::transfer {

struct ImportOptions {
  std::string name;           // the name of the archive's one image, replacing the archive's
  bool allPlatforms = false;  // every platform's blobs must be present, not only the host's
  std::string indexName;      // also record an OCI archive's index.json as an image of this name
  bool unpack = true;         // unpack the host platform's image(s) into snapshots
  std::string snapshotter = "overlayfs";  // ...of this snapshotter
};

}  // namespace tenon::transfer
