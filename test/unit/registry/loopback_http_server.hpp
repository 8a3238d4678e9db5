// A small HTTP/1.1 server on 127.0.0.1 for the registry client's tests: each
// request goes to a handler that returns the raw bytes to answer (so that a
// test can cut an answer short, or stall), keep-alive included. It records
// every request it saw. Stopped, and its threads joined, on destruction.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tenon::test {

struct SeenRequest {
  std::string method;
  std::string target;                          // "/v2/a/blobs/sha256:..?x=y"
  std::map<std::string, std::string> headers;  // names lower case
  std::string body;

  bool has(const std::string& name) const { return headers.count(name) > 0; }
};

struct Reply {
  std::string bytes;                    // sent as they are
  bool close = false;                   // close the connection after them
  std::chrono::milliseconds stall{0};  // wait this long (without sending) before closing
};

// "HTTP/1.1 STATUS REASON" with Content-Length and the given header lines.
Reply reply(int status, const std::vector<std::string>& headers = {}, const std::string& body = {});

class LoopbackHttpServer {
 public:
  using Handler = std::function<Reply(const SeenRequest&)>;
  explicit LoopbackHttpServer(Handler handler);
  ~LoopbackHttpServer();

  // "127.0.0.1:PORT"
  std::string host() const;
  std::vector<SeenRequest> requests() const;

 private:
  void acceptLoop();
  void serve(int fd);

  Handler handler_;
  int listener_;
  int port_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::vector<SeenRequest> seen_;
  std::vector<int> connections_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace tenon::test
