#include "scoped_mounts.hpp"

#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <tenon/error.hpp>
#include <thread>

#include "snapshot-overlay/overlay_options.hpp"

namespace tenon::snapshots::test {

namespace stdfs = std::filesystem;
using snapshot_overlay::compactLowerdir;
using snapshot_overlay::mountData;
using snapshot_overlay::mountDataLimit;

namespace {

struct Flag {
  unsigned long set;
  bool clear;  // "rw", "suid"...: the option turns its flag off
};

const std::map<std::string, Flag>& flags() {
  static const std::map<std::string, Flag> table = {
      {"ro", {MS_RDONLY, false}},    {"rw", {MS_RDONLY, true}},     {"bind", {MS_BIND, false}},
      {"rbind", {MS_BIND | MS_REC, false}}, {"nosuid", {MS_NOSUID, false}}, {"suid", {MS_NOSUID, true}},
      {"nodev", {MS_NODEV, false}},  {"dev", {MS_NODEV, true}},     {"noexec", {MS_NOEXEC, false}},
      {"exec", {MS_NOEXEC, true}},
  };
  return table;
}

[[noreturn]] void failMount(int err, const Mount& m, const stdfs::path& where) {
  fail(TENON_INTERNAL, "mount -t " + m.type + " " + m.source + " " + where.string() + ": " + std::strerror(err));
}

// mount(2) with a private working directory: unshare(CLONE_FS) gives this
// thread its own cwd, so the process's stays where it was.
int mountFrom(const std::string& dir, const Mount& m, const stdfs::path& where, unsigned long flags,
              const std::string& data) {
  int err = 0;
  std::thread([&] {
    if (::unshare(CLONE_FS) != 0 || ::chdir(dir.c_str()) != 0) {
      err = errno;
      return;
    }
    if (::mount(m.source.c_str(), where.c_str(), m.type.c_str(), flags, data.c_str()) != 0) err = errno;
  }).join();
  return err;
}

}  // namespace

void mountOne(const Mount& m, const stdfs::path& where) {
  unsigned long flagBits = 0;
  std::vector<std::string> data;
  for (const std::string& option : m.options) {
    auto it = flags().find(option);
    if (it == flags().end()) {
      data.push_back(option);
    } else if (it->second.clear) {
      flagBits &= ~it->second.set;
    } else {
      flagBits |= it->second.set;
    }
  }
  if (m.type == "bind") flagBits |= MS_BIND;
  if (flagBits & MS_BIND) {
    if (::mount(m.source.c_str(), where.c_str(), nullptr, flagBits & (MS_BIND | MS_REC), nullptr) != 0)
      failMount(errno, m, where);
    // A bind mount ignores every other flag until it is remounted with them.
    unsigned long rest = flagBits & ~(MS_BIND | MS_REC);
    if (rest != 0 && ::mount(nullptr, where.c_str(), nullptr, MS_REMOUNT | MS_BIND | rest, nullptr) != 0) {
      int err = errno;
      ::umount2(where.c_str(), MNT_DETACH);
      failMount(err, m, where);
    }
    return;
  }
  std::string joined = mountData(data);
  std::string dir;
  if (joined.size() > mountDataLimit() && m.type == "overlay") {
    auto compact = compactLowerdir(data);
    dir = compact.chdir;
    joined = mountData(compact.options);
  }
  // mount(2) would cut the options at the page and mount something else.
  if (joined.size() > mountDataLimit())
    fail(TENON_RESOURCE_EXHAUSTED, "mount options of " + std::to_string(joined.size()) + " bytes exceed a page");
  int err = dir.empty() ? (::mount(m.source.c_str(), where.c_str(), m.type.c_str(), flagBits, joined.c_str()) != 0 ? errno : 0)
                        : mountFrom(dir, m, where, flagBits, joined);
  if (err != 0) failMount(err, m, where);
}

ScopedMounts::ScopedMounts(const std::vector<Mount>& mounts, stdfs::path target) : target_(std::move(target)) {
  stdfs::create_directories(target_);
  try {
    for (const Mount& m : mounts) {
      stdfs::path where = m.target.empty() || m.target == "/" ? target_ : target_ / stdfs::path(m.target).relative_path();
      mountOne(m, where);
      mounted_.push_back(where);
    }
  } catch (...) {
    unmountAll();
    throw;
  }
}

ScopedMounts::~ScopedMounts() { unmountAll(); }

void ScopedMounts::unmountAll() noexcept {
  for (auto it = mounted_.rbegin(); it != mounted_.rend(); ++it) {
    if (::umount2(it->c_str(), 0) == 0) continue;
    if (::umount2(it->c_str(), MNT_DETACH) != 0)
      std::fprintf(stderr, "cannot unmount %s: %s\n", it->c_str(), std::strerror(errno));
  }
  mounted_.clear();
}

void unmountAllUnder(const stdfs::path& dir) {
  std::vector<std::string> points;
  std::ifstream in("/proc/self/mountinfo");
  std::string prefix = dir.string();
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string id, parent, devs, root, point;
    fields >> id >> parent >> devs >> root >> point;
    if (point == prefix || point.starts_with(prefix + "/")) points.push_back(point);
  }
  std::sort(points.begin(), points.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const std::string& p : points) ::umount2(p.c_str(), MNT_DETACH);
}

bool canMount() { return ::geteuid() == 0; }

}  // namespace tenon::snapshots::test
