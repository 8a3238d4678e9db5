// The small HTTP servers of the registry tests, written in Python next to this
// file (token_issuer.py, logging_blob_server.py): each binds 127.0.0.1 on a
// port the kernel picks, says "listening on PORT", and logs one JSON line per
// request to a file the test reads. The destructor kills the server.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "process.hpp"
#include "temp_dir.hpp"

#ifndef REGISTRY_TEST_DIR
#error                                                                         \
    "meson defines REGISTRY_TEST_DIR (this folder, for its scripts) and PYTHON3"
#endif

namespace tenon::test {

class ScriptServer {
public:
  // Runs `python3 REGISTRY_TEST_DIR/script args... --log LOG` and waits
  // (REQUIREs, 10 s) until it says which port it listens on.
  ScriptServer(const std::string &script, std::vector<std::string> args);
  ~ScriptServer();
  ScriptServer(const ScriptServer &) = delete;
  ScriptServer &operator=(const ScriptServer &) = delete;

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_);
  }
  // The requests logged so far, oldest first.
  std::vector<nlohmann::json> requests() const;
  // Forgets the requests logged so far.
  void clearRequests() const;
  // What the script printed (its port, Python's tracebacks).
  std::string output() const;

private:
  TempDir dir_{"tenon-script-server"};
  std::unique_ptr<BackgroundProcess> process_;
  int port_ = 0;
};

} // namespace tenon::test
