// The shim's own diagnostics: one timestamped line on its stderr, which the
// plugin points at <bundle>/shim.log. Never the container's output.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <string>

#include "common/files.hpp"

namespace tenon::runtime_runc::shim {

inline void logMessage(const std::string& message) {
  std::fprintf(stderr, "%s tenon-shim-runc[%d]: %s\n", rfc3339(nowNanoseconds()).c_str(), ::getpid(), message.c_str());
  std::fflush(stderr);
}

}  // namespace tenon::runtime_runc::shim
