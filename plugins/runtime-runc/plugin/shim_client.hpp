// The plugin's side of a shim: starting one (and taking it down again when
// a create fails half-way), and the request/answer calls of the protocol
// (common/shim_protocol.hpp), one short connection per call.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <tenon/unique_fd.hpp>
#include <vector>

#include "common/bundle_layout.hpp"
#include "common/shim_protocol.hpp"

namespace tenon::runtime_runc {

// Long enough for the runtime commands the shim runs (they time out at 60 s).
inline constexpr std::chrono::seconds kShimCallTimeout{75};

class ShimClient {
 public:
  // `task` ("<ns>/<id>") names the shim in messages.
  ShimClient(std::filesystem::path socket, std::string task) : socket_(std::move(socket)), task_(std::move(task)) {}

  // Sends `request`, returns the answer's results; throws the shim's error,
  // or unavailable when the shim cannot be reached (a dead shim fails fast).
  json call(const json& request, std::chrono::milliseconds timeout = kShimCallTimeout) const;
  // A connection that receives every exit of the task's processes, the
  // earlier ones first (the `events` request).
  UniqueFd subscribe() const;

 private:
  std::filesystem::path socket_;
  std::string task_;
};

// How to start a task's shim.
struct ShimCommand {
  std::filesystem::path shim;  // the tenon-shim-runc binary
  std::string runtime;         // the OCI runtime binary
  std::filesystem::path runtimeRoot;
  std::vector<std::string> runtimeArgs;
  std::string id;
  BundleLayout bundle;
  std::filesystem::path socket;
};

// A shim this plugin started for a task being created: shut down (or
// killed) when the object goes, unless keep() says the task was created.
class StartedShim {
 public:
  // Starts the shim and waits until it serves; throws with its own message.
  explicit StartedShim(const ShimCommand& command);
  ~StartedShim();
  StartedShim(const StartedShim&) = delete;
  StartedShim& operator=(const StartedShim&) = delete;

  pid_t pid() const { return pid_; }
  void keep() { kept_ = true; }

 private:
  ShimCommand command_;
  pid_t pid_ = -1;
  bool kept_ = false;
};

}  // namespace tenon::runtime_runc
