// In-process locks by name, so that two unpacks that need the same layer at
// once (same namespace, snapshotter and chain ID) apply it once: the second
// waits for the first, then finds the committed snapshot. A wait gives up
// when its stop token is triggered (the client went away).
#pragma once

#include <condition_variable>
#include <mutex>
#include <set>
#include <stop_token>
#include <string>
#include <utility>

namespace tenon::unpack {

class KeyedLocks {
 public:
  // Holds one key; released by its destructor.
  class Held {
   public:
    Held(KeyedLocks& locks, std::string key) : locks_(&locks), key_(std::move(key)) {}
    Held(Held&& other) noexcept : locks_(std::exchange(other.locks_, nullptr)), key_(std::move(other.key_)) {}
    Held& operator=(Held&&) = delete;
    ~Held() {
      if (locks_ != nullptr) locks_->release(key_);
    }

   private:
    KeyedLocks* locks_;
    std::string key_;
  };

  // Blocks until nobody holds `key`, then holds it. Throws cancelled when
  // `stop` is triggered first.
  Held acquire(const std::string& key, std::stop_token stop);

 private:
  void release(const std::string& key);

  std::mutex mutex_;
  std::condition_variable_any released_;
  std::set<std::string> held_;
};

}  // namespace tenon::unpack
