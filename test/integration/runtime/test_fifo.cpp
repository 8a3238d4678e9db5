#include "test_fifo.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace tenon::runtime_test {

Fifo::Fifo(std::filesystem::path path) : path_(path.string()) {
  if (::mkfifo(path_.c_str(), 0600) != 0) throw std::runtime_error("mkfifo " + path_ + ": " + std::strerror(errno));
}

void Fifo::openForReading() {
  reader_.reset(::open(path_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!reader_) throw std::runtime_error("open " + path_ + ": " + std::strerror(errno));
}

std::string Fifo::readUntil(const std::string& text, std::chrono::milliseconds timeout) {
  if (!reader_) openForReading();
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (text.empty() || read_.find(text) == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return read_ + "<timed out>";
    pollfd p{reader_.get(), POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char chunk[4096];
    ssize_t n = ::read(reader_.get(), chunk, sizeof chunk);
    if (n > 0) {
      read_.append(chunk, static_cast<size_t>(n));
    } else if (n == 0) {
      break;  // every writer has closed
    } else if (errno != EAGAIN && errno != EINTR) {
      throw std::runtime_error("read " + path_ + ": " + std::strerror(errno));
    }
  }
  return read_;
}

std::string Fifo::readToEnd(std::chrono::milliseconds timeout) { return readUntil("", timeout); }

void Fifo::write(const std::string& text) {
  if (!writer_) writer_.reset(::open(path_.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC));
  if (!writer_) throw std::runtime_error("open " + path_ + " for writing: " + std::strerror(errno));
  if (::write(writer_.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()))
    throw std::runtime_error("write " + path_ + ": " + std::strerror(errno));
}

}  // namespace tenon::runtime_test
