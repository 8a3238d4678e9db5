// C++ side of the shared Mount: an owning value type, and conversions to and
// from the C ABI's tenon_mount_list in both directions (producers and consumers).
#ifndef TENON_MOUNT_HPP
#define TENON_MOUNT_HPP

#include <string>
#include <vector>

#include "mount.h"

namespace tenon {

struct Mount {
  std::string type;
  std::string source;
  std::string target;
  std::vector<std::string> options;

  bool operator==(const Mount&) const = default;
};

namespace detail {
// Owns the storage behind a tenon_mount_list handed out by exportMounts.
struct MountListStorage {
  std::vector<Mount> mounts;
  std::vector<std::vector<const char*>> options;
  std::vector<tenon_mount> items;
};
}  // namespace detail

// Receiver side: an empty list sized for the producer to fill.
inline tenon_mount_list emptyMountList() {
  tenon_mount_list list{};
  list.struct_size = sizeof(tenon_mount_list);
  return list;
}

// Producer side: fills `out` with a copy of `mounts`; the receiver releases it.
// Every field it writes is in ABI 1, so any receiver's list holds them.
inline void exportMounts(const std::vector<Mount>& mounts, tenon_mount_list* out) {
  auto* storage = new detail::MountListStorage{mounts, {}, {}};
  storage->options.reserve(storage->mounts.size());
  for (const Mount& m : storage->mounts) {
    std::vector<const char*>& opts = storage->options.emplace_back();
    for (const std::string& o : m.options) opts.push_back(o.c_str());
    storage->items.push_back(tenon_mount{sizeof(tenon_mount), m.type.c_str(), m.source.c_str(),
                                         m.target.c_str(), {opts.data(), opts.size()}});
  }
  out->items = storage->items.data();
  out->len = storage->items.size();
  out->private_data = storage;
  out->release = [](tenon_mount_list* list) {
    delete static_cast<detail::MountListStorage*>(list->private_data);
    list->items = nullptr;
    list->len = 0;
    list->release = nullptr;
  };
}

// Consumer side: copies a borrowed array of mounts.
inline std::vector<Mount> copyMounts(const tenon_mount* items, size_t len) {
  std::vector<Mount> mounts;
  mounts.reserve(len);
  for (size_t i = 0; i < len; ++i) {
    const tenon_mount& m = items[i];
    Mount copy{m.type ? m.type : "", m.source ? m.source : "", m.target ? m.target : "", {}};
    for (size_t j = 0; j < m.options.len; ++j) copy.options.emplace_back(m.options.items[j]);
    mounts.push_back(std::move(copy));
  }
  return mounts;
}

// Consumer side: copies a list a producer filled, then releases it.
inline std::vector<Mount> takeMounts(tenon_mount_list* list) {
  struct Release {
    tenon_mount_list* list;
    ~Release() {
      if (list->release) list->release(list);
    }
  } release{list};
  return copyMounts(list->items, list->len);
}

}  // namespace tenon

#endif  // TENON_MOUNT_HPP
