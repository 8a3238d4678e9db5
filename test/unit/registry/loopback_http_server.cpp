#include "loopback_http_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace tenon::test {
namespace {

std::string reasonOf(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 206: return "Partial Content";
    case 307: return "Temporary Redirect";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

bool sendAll(int fd, const std::string& bytes) {
  for (std::size_t sent = 0; sent < bytes.size();) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads one request from `fd` into `request`, `buffer` keeping what came after it.
bool readRequest(int fd, std::string& buffer, SeenRequest& request) {
  char chunk[65536];
  if (buffer.empty()) {
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  // A TLS handshake (record type 22): answered as Go's net/http does, so that the client sees a failed handshake.
  if (buffer[0] == '\x16') {
    sendAll(fd, "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n");
    return false;
  }
  std::size_t end;
  while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  std::string head = buffer.substr(0, end);
  buffer.erase(0, end + 4);
  std::size_t lineEnd = head.find("\r\n");
  std::string first = head.substr(0, lineEnd);
  request.method = first.substr(0, first.find(' '));
  request.target = first.substr(first.find(' ') + 1, first.rfind(' ') - first.find(' ') - 1);
  for (std::size_t at = lineEnd; at != std::string::npos && at < head.size();) {
    std::size_t next = head.find("\r\n", at + 2);
    std::string line = head.substr(at + 2, next == std::string::npos ? std::string::npos : next - at - 2);
    if (auto colon = line.find(':'); colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      request.headers[name] = value;
    }
    at = next;
  }
  std::size_t length = request.has("content-length") ? std::stoul(request.headers["content-length"]) : 0;
  while (buffer.size() < length) {
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  request.body = buffer.substr(0, length);
  buffer.erase(0, length);
  return true;
}

}  // namespace

Reply reply(int status, const std::vector<std::string>& headers, const std::string& body) {
  std::string bytes = "HTTP/1.1 " + std::to_string(status) + " " + reasonOf(status) + "\r\n";
  bytes += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  for (const auto& line : headers) bytes += line + "\r\n";
  return {bytes + "\r\n" + body};
}

LoopbackHttpServer::LoopbackHttpServer(Handler handler) : handler_(std::move(handler)) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
      ::listen(listener_, 16) != 0 || ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size) != 0)
    throw std::runtime_error("cannot listen on 127.0.0.1");
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { acceptLoop(); });
}

LoopbackHttpServer::~LoopbackHttpServer() {
  stopping_ = true;
  ::shutdown(listener_, SHUT_RDWR);
  acceptor_.join();
  {
    std::lock_guard guard(mutex_);
    for (int fd : connections_) ::shutdown(fd, SHUT_RDWR);
  }
  for (auto& thread : threads_) thread.join();
  for (int fd : connections_) ::close(fd);
  ::close(listener_);
}

std::string LoopbackHttpServer::host() const { return "127.0.0.1:" + std::to_string(port_); }

std::vector<SeenRequest> LoopbackHttpServer::requests() const {
  std::lock_guard guard(mutex_);
  return seen_;
}

void LoopbackHttpServer::acceptLoop() {
  while (!stopping_) {
    int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return;
    std::lock_guard guard(mutex_);
    connections_.push_back(fd);
    threads_.emplace_back([this, fd] { serve(fd); });
  }
}

void LoopbackHttpServer::serve(int fd) {
  std::string buffer;
  for (SeenRequest request; !stopping_ && readRequest(fd, buffer, request); request = {}) {
    {
      std::lock_guard guard(mutex_);
      seen_.push_back(request);
    }
    Reply answer = handler_(request);
    if (!sendAll(fd, answer.bytes)) break;
    if (answer.stall.count() > 0) {
      pollfd wait{fd, POLLRDHUP, 0};
      ::poll(&wait, 1, static_cast<int>(answer.stall.count()));
    }
    if (answer.close) break;
  }
  ::shutdown(fd, SHUT_RDWR);
  // The fd stays open (and listed) until the destructor, so that no reused number gets shut down there.
}

}  // namespace tenon::test
