// What the content and namespaces tests share: a tenond with the in-tree content store,
// test data, and short ways to ask ctr about blobs and ingests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "built_programs.hpp"
#include "ctr_input.hpp"

#ifndef CONTENT_LOCAL_PLUGIN
#error "meson defines CONTENT_LOCAL_PLUGIN, the path of the built content-local plugin"
#endif

namespace tenon::test {

inline constexpr const char* kContentLocalPlugin = CONTENT_LOCAL_PLUGIN;
inline constexpr size_t kMiB = 1 << 20;

// A daemon with the in-tree content store (content.local), everything in its own TempDir.
DaemonOptions contentDaemonOptions();

// Runs ctr against `daemon`, REQUIREs that it succeeds, and returns what it printed.
ProcessResult ctrOk(const TestDaemon& daemon, const std::vector<std::string>& args);

// `size` bytes that do not compress, the same for the same seed.
std::string randomBytes(size_t size, uint64_t seed);

// "sha256:<64 hex digits>" of `bytes`, computed here, independently of ctr and tenond.
std::string sha256Of(const std::string& bytes);

// `bytes` written to `name` in `dir`: its path.
std::string writeInput(const TempDir& dir, const std::string& name, const std::string& bytes);

// The digests `ctr content ls -q` prints in namespace `ns` (REQUIREs that it succeeds).
std::vector<std::string> listedDigests(const TestDaemon& daemon, const std::string& ns = "default");

// The offset `ctr content active` reports for `ref` in namespace `ns`, or nullopt when no
// such ingest is in progress (REQUIREs that ctr succeeds).
std::optional<int64_t> ingestOffset(const TestDaemon& daemon, const std::string& ref,
                                    const std::string& ns = "default");

// Starts `ctr content ingest <ref>` in `ns` on a pipe, feeds it the first `fed` bytes of
// `bytes` and waits until the daemon reports the ingest's offset past 0; the caller then
// kills ctr or tenond in the middle of the ingest.
std::unique_ptr<CtrWithInput> startIngest(const TestDaemon& daemon, const std::string& ref, const std::string& bytes,
                                          size_t fed, const std::string& ns = "default");

}  // namespace tenon::test
