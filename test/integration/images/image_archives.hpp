// Image archives for the import/export tests: a real busybox image built with umoci
// (as the OCI layout umoci writes, that layout as a tar, and skopeo's oci-archive and
// docker-archive of it), made once per test process, and tars written entry by entry
// for archives no tool would write (hostile names, corrupt blobs, huge index.json).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "content_fixture.hpp"

namespace tenon::test {

struct BusyboxArchives {
  std::string layoutDir;   // the OCI layout umoci wrote
  std::string layoutTar;   // that layout as a plain tar
  std::string skopeoTar;   // skopeo copy oci:... oci-archive:...:latest
  std::string dockerTar;   // skopeo copy oci:... docker-archive:...:busybox:latest
  std::string manifestDigest;  // of the image's (OCI) manifest
  int64_t imageSize = 0;       // manifest + config + layers, what `ctr images ls` sums
  std::string configDigest;
  std::vector<std::string> reachable;  // manifest, config and layer digests
};

// Built on first use, in a TempDir that lives as long as the process. REQUIREs every tool to work.
const BusyboxArchives& busyboxArchives();

// The files of the layout: relative path → bytes.
std::map<std::string, std::string> layoutFiles();

using TarEntries = std::vector<std::pair<std::string, std::string>>;  // path → bytes, in order
// Writes a tar of `entries` with the names exactly as given ("../x" too); a name ending
// in " -> TARGET" becomes a symlink to TARGET.
void writeTar(const std::string& path, const TarEntries& entries);
// The layout's files with some replaced or added, as entries (index.json last).
TarEntries layoutEntries(const std::map<std::string, std::string>& changes = {});

// Everything `ctr -n NS images ls --format json` says, parsed (REQUIREs success).
nlohmann::json listedImages(const TestDaemon& daemon, const std::string& ns);

// Blob files the content store holds on disk, whatever the namespaces record.
size_t blobFilesOnDisk(const TestDaemon& daemon);

// `ctr -n NS images import [args...] FILE`.
ProcessResult importArchive(const TestDaemon& daemon, const std::string& ns, const std::string& file,
                            std::vector<std::string> args = {});

}  // namespace tenon::test
