// Reading a cgroup's samples (named in samples.hpp) from its interface files.
// The files are read directly rather than through libcgroup's
// cgroup_get_cgroup: that one loads every file of every controller (failing
// on write-only ones such as cgroup.event_control) and would still leave the
// formats to parse; reading only what is named here keeps a collection cheap.
#pragma once

#include <cstdint>
#include <optional>

#include "cgroup_hierarchy.hpp"
#include "samples.hpp"

namespace tenon::metrics_cgroup {

// v1: each controller's files from its own directory in `dirs.controllers`.
Samples readV1Stats(const CgroupDirs& dirs);

// v2: every file from `dirs.unifiedDir`.
Samples readV2Stats(const CgroupDirs& dirs);

inline Samples readStats(const CgroupDirs& dirs) { return dirs.unified ? readV2Stats(dirs) : readV1Stats(dirs); }

// Appends a sample when `value` is there: an absent value is never a zero.
template <class Number>
void addSample(Samples& out, std::string name, std::optional<Number> value, std::map<std::string, std::string> labels = {}) {
  if (value) out.push_back({std::move(name), static_cast<double>(*value), std::move(labels)});
}

// The value of `key` in a parsed flat-keyed file, if there.
template <class Map>
std::optional<uint64_t> keyed(const Map& values, const std::string& key) {
  auto found = values.find(key);
  return found == values.end() ? std::nullopt : std::optional<uint64_t>(found->second);
}

}  // namespace tenon::metrics_cgroup
