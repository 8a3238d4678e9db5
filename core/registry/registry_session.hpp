// What every registry client of a daemon shares (registry_client.hpp's
// RegistrySession): curl's DNS and TLS-session caches, a pool of easy
// handles whose keep-alive connections stay open between calls, and the
// bearer tokens registries handed out, until they expire.
//
// Connections live in the pooled handles rather than in the share object:
// curl documents sharing a connection cache between concurrent threads as
// unsupported (CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT), while an easy
// handle keeps its connections across curl_easy_reset. A handle is lent to
// one thread at a time, preferably one that last spoke to the same origin.
#pragma once

#include <curl/curl.h>

#include <array>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tenon::registry {

class PooledHandle;

class RegistrySession {
 public:
  RegistrySession();
  ~RegistrySession();
  RegistrySession(const RegistrySession&) = delete;
  RegistrySession& operator=(const RegistrySession&) = delete;

  // An easy handle with default options, attached to the shared caches, for
  // a request to `origin` ("https://host:443"). Any thread.
  PooledHandle borrow(const std::string& origin);

  // A token cached under `key` that has not expired.
  std::optional<std::string> token(const std::string& key);
  void keepToken(const std::string& key, std::string token, std::chrono::seconds lifetime);
  // Drops `token` wherever it is cached (a registry refused it before its expiry).
  void forgetToken(const std::string& token);

 private:
  friend class PooledHandle;
  struct Idle {
    CURL* handle;
    std::string origin;
  };
  struct Token {
    std::string value;
    std::chrono::steady_clock::time_point expiry;
  };
  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* self);
  static void unlock(CURL*, curl_lock_data data, void* self);
  void giveBack(CURL* handle, std::string origin);

  CURLSH* share_;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> shareLocks_;
  std::mutex poolMutex_;
  std::vector<Idle> idle_;
  std::mutex tokenMutex_;
  std::map<std::string, Token> tokens_;
};

// An easy handle lent by a session; reset and handed back when destroyed.
class PooledHandle {
 public:
  PooledHandle(RegistrySession& session, CURL* handle, std::string origin)
      : session_(&session), handle_(handle), origin_(std::move(origin)) {}
  PooledHandle(PooledHandle&& other) noexcept
      : session_(other.session_), handle_(std::exchange(other.handle_, nullptr)), origin_(std::move(other.origin_)) {}
  PooledHandle& operator=(PooledHandle&&) = delete;
  ~PooledHandle() {
    if (handle_) session_->giveBack(handle_, std::move(origin_));
  }

  CURL* get() const { return handle_; }

 private:
  RegistrySession* session_;
  CURL* handle_;
  std::string origin_;
};

}  // namespace tenon::registry
