#include "registry/registry_session.hpp"

#include <algorithm>
#include <mutex>
#include <tenon/error.hpp>

#include "registry/registry_client.hpp"

namespace tenon::registry {
namespace {

// Idle handles kept; each holds a few open connections (CURLOPT_MAXCONNECTS).
constexpr std::size_t kMaxIdleHandles = 16;

// curl_global_init is not thread-safe and must run once per process.
void initCurl() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) fail(TENON_INTERNAL, "cannot initialise libcurl");
  });
}

}  // namespace

std::shared_ptr<RegistrySession> makeRegistrySession() { return std::make_shared<RegistrySession>(); }

RegistrySession::RegistrySession() {
  initCurl();
  share_ = curl_share_init();
  if (!share_) throw std::bad_alloc();
  curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
  curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &RegistrySession::lock);
  curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &RegistrySession::unlock);
  curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
}

RegistrySession::~RegistrySession() {
  // Handles first: each still refers to the share.
  for (Idle& idle : idle_) curl_easy_cleanup(idle.handle);
  curl_share_cleanup(share_);
}

void RegistrySession::lock(CURL*, curl_lock_data data, curl_lock_access, void* self) {
  static_cast<RegistrySession*>(self)->shareLocks_[data].lock();
}

void RegistrySession::unlock(CURL*, curl_lock_data data, void* self) {
  static_cast<RegistrySession*>(self)->shareLocks_[data].unlock();
}

PooledHandle RegistrySession::borrow(const std::string& origin) {
  CURL* handle = nullptr;
  {
    std::lock_guard guard(poolMutex_);
    if (!idle_.empty()) {
      auto chosen = std::find_if(idle_.rbegin(), idle_.rend(), [&](const Idle& idle) { return idle.origin == origin; });
      auto index = chosen == idle_.rend() ? idle_.size() - 1 : static_cast<std::size_t>(idle_.rend() - chosen) - 1;
      handle = idle_[index].handle;
      idle_.erase(idle_.begin() + static_cast<std::ptrdiff_t>(index));
    }
  }
  if (!handle && !(handle = curl_easy_init())) throw std::bad_alloc();
  // curl_easy_reset (on return) dropped every option, the share included.
  curl_easy_setopt(handle, CURLOPT_SHARE, share_);
  return PooledHandle(*this, handle, origin);
}

void RegistrySession::giveBack(CURL* handle, std::string origin) {
  curl_easy_reset(handle);  // keeps the handle's live connections
  {
    std::lock_guard guard(poolMutex_);
    if (idle_.size() < kMaxIdleHandles) {
      idle_.push_back({handle, std::move(origin)});
      return;
    }
  }
  curl_easy_cleanup(handle);
}

std::optional<std::string> RegistrySession::token(const std::string& key) {
  std::lock_guard guard(tokenMutex_);
  auto found = tokens_.find(key);
  if (found == tokens_.end()) return std::nullopt;
  if (found->second.expiry <= std::chrono::steady_clock::now()) {
    tokens_.erase(found);
    return std::nullopt;
  }
  return found->second.value;
}

void RegistrySession::keepToken(const std::string& key, std::string token, std::chrono::seconds lifetime) {
  std::lock_guard guard(tokenMutex_);
  auto now = std::chrono::steady_clock::now();
  std::erase_if(tokens_, [&](const auto& entry) { return entry.second.expiry <= now; });
  tokens_[key] = Token{std::move(token), now + lifetime};
}

void RegistrySession::forgetToken(const std::string& token) {
  std::lock_guard guard(tokenMutex_);
  std::erase_if(tokens_, [&](const auto& entry) { return entry.second.value == token; });
}

}  // namespace tenon::registry
