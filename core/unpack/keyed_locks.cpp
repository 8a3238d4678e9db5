#include "unpack/keyed_locks.hpp"

#include <tenon/error.hpp>

namespace tenon::unpack {

KeyedLocks::Held KeyedLocks::acquire(const std::string& key, std::stop_token stop) {
  std::unique_lock lock(mutex_);
  if (!released_.wait(lock, stop, [&] { return !held_.contains(key); }))
    fail(TENON_CANCELLED, "cancelled while waiting for another unpack of the same layer");
  held_.insert(key);
  return Held(*this, key);
}

void KeyedLocks::release(const std::string& key) {
  {
    std::lock_guard lock(mutex_);
    held_.erase(key);
  }
  released_.notify_all();
}

}  // namespace tenon::unpack
