// The programs under test, where meson built them, and the shortest ways to run them.
#pragma once

#include <string>
#include <vector>

#include "process.hpp"
#include "test_daemon.hpp"

#ifndef TENOND_PATH
#error "meson defines TENOND_PATH, CTR_PATH, TEST_PLUGIN_DIR and EXPECTED_VERSION"
#endif

namespace tenon::test {

inline constexpr const char* kTenond = TENOND_PATH;
inline constexpr const char* kCtr = CTR_PATH;
inline constexpr const char* kTestPluginDir = TEST_PLUGIN_DIR;  // the C test plugins, one per loader outcome
inline constexpr const char* kExpectedVersion = EXPECTED_VERSION;  // meson's project version

// A daemon loading every test plugin, everything else in its own TempDir.
inline DaemonOptions testDaemonOptions() {
  DaemonOptions options;
  options.tenond = kTenond;
  options.pluginDirs = {kTestPluginDir};
  return options;
}

// Runs `ctr --address <address> args...`, deaf to the caller's TENON_* variables.
inline ProcessResult runCtr(const std::string& address, const std::vector<std::string>& args,
                            const RunOptions& options = {}) {
  std::vector<std::string> argv = {kCtr, "--address", address};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions clean = options;
  clean.env.insert(clean.env.begin(), {"TENON_ADDRESS", "TENON_NAMESPACE"});
  return runProcess(argv, clean);
}

}  // namespace tenon::test
