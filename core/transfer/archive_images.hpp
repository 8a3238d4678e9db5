// Which images an archive holds, and under which names: an OCI layout's
// index.json entries, or a docker-archive's manifest.json entries (for which
// a Docker schema 2 manifest is made and stored, since `docker save` writes none).
#pragma once

#include <string>
#include <vector>

#include "metadata/images.hpp"
#include "transfer/archive_contents.hpp"
#include "transfer/blob_ingester.hpp"
#include "transfer/import_options.hpp"

namespace tenon::transfer {

// The images index.json names: each entry's io.containerd.image.name, else
// its org.opencontainers.image.ref.name when that is a whole reference;
// options.name instead for an archive of one image. Throws invalid_argument
// for an entry of an unknown media type, or one left without a name.
std::vector<metadata::Image> imagesFromIndex(const std::string& indexJson, const ImportOptions& options);

// The images manifest.json (`docker save`) describes, named by their RepoTags
// (normalised: busybox:latest → docker.io/library/busybox:latest) or
// options.name; each gets a manifest made from its config and layer files,
// stored through `ingester`.
std::vector<metadata::Image> imagesFromDockerManifest(const std::string& manifestJson, const ArchiveContents& contents,
                                                      BlobIngester& ingester, const ImportOptions& options);

}  // namespace tenon::transfer
