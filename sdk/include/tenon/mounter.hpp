// Mounting a Mount list, the way a runtime mounts a snapshotter's output as a
// container's root: each entry at <target>/<its target>, in order, unmounted
// in reverse. Header-only (C++20 standard library, POSIX, Linux mount(2)).
//
// Two kernel quirks are handled here so that no consumer meets them:
//  - a bind mount ignores every flag but MS_BIND/MS_REC ("ro", "nosuid"...)
//    until it is remounted with them, so binds are mounted, then remounted;
//  - overlay options longer than a page are compacted (tenon/mount_options.hpp)
//    and mounted from a thread whose own working directory is the lowerdirs'
//    common parent: unshare(CLONE_FS) gives that thread a private cwd, so the
//    process's stays where it was (containerd's mount package does the same
//    from a forked child).
#ifndef TENON_MOUNTER_HPP
#define TENON_MOUNTER_HPP

#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "error.hpp"
#include "mount.hpp"
#include "mount_options.hpp"

namespace tenon {

namespace detail {

struct MountFlag {
  unsigned long bits;
  bool clears;  // "rw", "suid"...: the option turns its flag off
};

inline const std::map<std::string, MountFlag>& mountFlags() {
  static const std::map<std::string, MountFlag> table = {
      {"ro", {MS_RDONLY, false}},           {"rw", {MS_RDONLY, true}},        {"bind", {MS_BIND, false}},
      {"rbind", {MS_BIND | MS_REC, false}}, {"nosuid", {MS_NOSUID, false}},   {"suid", {MS_NOSUID, true}},
      {"nodev", {MS_NODEV, false}},         {"dev", {MS_NODEV, true}},        {"noexec", {MS_NOEXEC, false}},
      {"exec", {MS_NOEXEC, true}},          {"noatime", {MS_NOATIME, false}}, {"relatime", {MS_RELATIME, false}},
  };
  return table;
}

[[noreturn]] inline void failMount(int err, const Mount& m, const std::filesystem::path& where) {
  fail(err == ENOENT ? TENON_NOT_FOUND : TENON_INTERNAL, "mount -t " + m.type + " -o " + mountData(m.options) + " " +
                                                             m.source + " " + where.string() + ": " +
                                                             std::strerror(err));
}

// mount(2) from `dir` as this thread's private working directory; errno or 0.
inline int mountFromDirectory(const std::string& dir, const Mount& m, const std::filesystem::path& where,
                              unsigned long flags, const std::string& data) {
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

inline void mountBind(const Mount& m, const std::filesystem::path& where, unsigned long flags) {
  if (::mount(m.source.c_str(), where.c_str(), nullptr, flags & (MS_BIND | MS_REC), nullptr) != 0)
    failMount(errno, m, where);
  unsigned long rest = flags & ~(MS_BIND | MS_REC);
  if (rest != 0 && ::mount(nullptr, where.c_str(), nullptr, MS_REMOUNT | MS_BIND | rest, nullptr) != 0) {
    int err = errno;
    ::umount2(where.c_str(), MNT_DETACH);
    failMount(err, m, where);
  }
}

// A mountinfo field with its octal escapes (\040 for a space...) decoded.
inline std::string unescapeMountField(const std::string& field) {
  std::string out;
  for (size_t i = 0; i < field.size(); ++i) {
    auto octal = [&](size_t k) { return k < field.size() && field[k] >= '0' && field[k] <= '7'; };
    if (field[i] == '\\' && octal(i + 1) && octal(i + 2) && octal(i + 3)) {
      out.push_back(static_cast<char>(std::stoi(field.substr(i + 1, 3), nullptr, 8)));
      i += 3;
    } else {
      out.push_back(field[i]);
    }
  }
  return out;
}

}  // namespace detail

// Mounts one entry at `where`. Throws tenon::Error naming the mount and the
// system's reason; resource_exhausted when the options cannot fit a page.
inline void mountOne(const Mount& m, const std::filesystem::path& where) {
  unsigned long flags = 0;
  std::vector<std::string> data;
  for (const std::string& option : m.options) {
    auto it = detail::mountFlags().find(option);
    if (it == detail::mountFlags().end()) {
      data.push_back(option);
    } else if (it->second.clears) {
      flags &= ~it->second.bits;
    } else {
      flags |= it->second.bits;
    }
  }
  if (m.type == "bind") flags |= MS_BIND;
  if (flags & MS_BIND) return detail::mountBind(m, where, flags);
  std::string joined = mountData(data);
  std::string dir;
  if (joined.size() > mountDataLimit() && m.type == "overlay") {
    CompactOptions compact = compactLowerdir(data);
    dir = compact.chdir;
    joined = mountData(compact.options);
  }
  // mount(2) would cut the options at the page and mount something else.
  if (joined.size() > mountDataLimit())
    fail(TENON_RESOURCE_EXHAUSTED, "mount options of " + std::to_string(joined.size()) + " bytes exceed a page");
  int err = 0;
  if (!dir.empty()) {
    err = detail::mountFromDirectory(dir, m, where, flags, joined);
  } else if (::mount(m.source.c_str(), where.c_str(), m.type.c_str(), flags, joined.c_str()) != 0) {
    err = errno;
  }
  if (err != 0) detail::failMount(err, m, where);
}

// The mount points at or below `dir` in this process's mount namespace,
// deepest first. `dir` is made absolute and free of symlinks first, as the
// kernel lists it.
inline std::vector<std::string> mountPointsUnder(const std::filesystem::path& dir) {
  std::error_code ec;
  std::string prefix = std::filesystem::weakly_canonical(dir, ec).string();
  if (ec) prefix = std::filesystem::absolute(dir).lexically_normal().string();
  std::vector<std::string> points;
  std::ifstream in("/proc/self/mountinfo");
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string id, parent, devs, root, point;
    fields >> id >> parent >> devs >> root >> point;
    point = detail::unescapeMountField(point);
    if (point == prefix || point.starts_with(prefix + "/")) points.push_back(point);
  }
  std::stable_sort(points.begin(), points.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return points;
}

// Unmounts every mount at or below `dir`, deepest first, lazily (MNT_DETACH)
// so that a busy one goes too. True when nothing is mounted there afterwards:
// check it before removing `dir`, or the removal would reach into a mount.
inline bool unmountAllUnder(const std::filesystem::path& dir) {
  for (const std::string& p : mountPointsUnder(dir)) ::umount2(p.c_str(), MNT_DETACH);
  return mountPointsUnder(dir).empty();
}

// A Mount list mounted at a target for as long as this object holds it: the
// destructor unmounts in reverse order, so an exception or a failed assertion
// never leaves a mount behind; release() leaves the mounts in place for good.
class ScopedMounts {
 public:
  ScopedMounts() = default;
  // Mounts `mounts` in order at `target` (created if missing); on a failure,
  // unmounts what it mounted and throws.
  ScopedMounts(const std::vector<Mount>& mounts, std::filesystem::path target) : target_(std::move(target)) {
    std::filesystem::create_directories(target_);
    try {
      for (const Mount& m : mounts) {
        std::filesystem::path where =
            m.target.empty() || m.target == "/" ? target_ : target_ / std::filesystem::path(m.target).relative_path();
        mountOne(m, where);
        mounted_.push_back(where);
      }
    } catch (...) {
      unmount();
      throw;
    }
  }
  ScopedMounts(ScopedMounts&& other) noexcept
      : target_(std::move(other.target_)), mounted_(std::exchange(other.mounted_, {})) {}
  ScopedMounts& operator=(ScopedMounts&& other) noexcept {
    if (this != &other) {
      unmount();
      target_ = std::move(other.target_);
      mounted_ = std::exchange(other.mounted_, {});
    }
    return *this;
  }
  ScopedMounts(const ScopedMounts&) = delete;
  ScopedMounts& operator=(const ScopedMounts&) = delete;
  ~ScopedMounts() { unmount(); }

  const std::filesystem::path& root() const { return target_; }

  // Keeps the mounts after this object is gone (a container's root outlives
  // the daemon that mounted it); unmountAllUnder(root()) undoes them later.
  void release() noexcept { mounted_.clear(); }

  // Unmounts now, in reverse order; a busy mount is detached lazily.
  void unmount() noexcept {
    for (auto it = mounted_.rbegin(); it != mounted_.rend(); ++it) {
      if (::umount2(it->c_str(), 0) == 0) continue;
      if (::umount2(it->c_str(), MNT_DETACH) != 0)
        std::fprintf(stderr, "cannot unmount %s: %s\n", it->c_str(), std::strerror(errno));
    }
    mounted_.clear();
  }

 private:
  std::filesystem::path target_;
  std::vector<std::filesystem::path> mounted_;  // in mount order
};

// Mounts `mounts` at `target`: ScopedMounts(mounts, target).
inline ScopedMounts mountAll(const std::vector<Mount>& mounts, const std::filesystem::path& target) {
  return ScopedMounts(mounts, target);
}

}  // namespace tenon

#endif  // TENON_MOUNTER_HPP
