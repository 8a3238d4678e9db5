// What the registry tests ask of tenond and ctr: a daemon with the content
// store and overlayfs and a [registry] table of the test's, pulls and pushes
// over plain HTTP (loopback registries), and what ctr said.
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "content_fixture.hpp"

namespace tenon::test {

// unpackDaemonOptions() with `registryToml` as the lines of its [registry]
// table.
DaemonOptions registryDaemonOptions(const std::string &registryToml = "");

// `ctr -n NS images pull --plain-http [args...] REF`, given two minutes.
ProcessResult pullImage(const TestDaemon &daemon, const std::string &ns,
                        const std::string &ref,
                        const std::vector<std::string> &args = {});
// `ctr -n NS images push --plain-http [args...] REF [LOCAL]`, given two
// minutes.
ProcessResult pushImage(const TestDaemon &daemon, const std::string &ns,
                        const std::string &ref, const std::string &local = "",
                        const std::vector<std::string> &args = {});

// The same pull started in the background, its stdout and stderr going to
// `outputFile`.
std::unique_ptr<BackgroundProcess>
startPull(const TestDaemon &daemon, const std::string &ns,
          const std::string &ref, const std::string &outputFile,
          const std::vector<std::string> &args = {});

// The lines of `err` that begin "ctr: ": the errors ctr reports.
std::vector<std::string> errorLines(const std::string &err);
std::string lowercase(std::string text);
inline bool includes(const std::vector<std::string> &list,
                     const std::string &item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// The names `ctr -n NS images ls -q` prints.
std::vector<std::string> imageNames(const TestDaemon &daemon,
                                    const std::string &ns);

// Where the content store keeps blob `digest` on disk (whether or not it is
// there).
std::string storedBlobFile(const TestDaemon &daemon, const std::string &digest);

// REQUIREs that ctr exited 0, saying what it printed when not.
void requireSucceeded(const ProcessResult &result, const std::string &what);

} // namespace tenon::test
