#include "stdio/fifo_set.hpp"

#include <fmt/core.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <tenon/error.hpp>
#include <vector>

namespace tenon::ctr {

namespace {

std::string makePrivateDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = fmt::format("{}/tenon-fifo-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  if (::mkdtemp(name.data()) == nullptr)
    fail(TENON_INTERNAL, fmt::format("cannot make a directory for the task's FIFOs in {}: {}", pattern,
                                     std::strerror(errno)));
  return name.data();
}

std::string makeFifo(const std::string& dir, const char* name) {
  std::string path = dir + "/" + name;
  if (::mkfifo(path.c_str(), 0600) != 0)
    fail(TENON_INTERNAL, fmt::format("cannot make FIFO {}: {}", path, std::strerror(errno)));
  return path;
}

}  // namespace

FifoSet::FifoSet(bool terminal) : dir_(makePrivateDir()) {
  try {
    stdin_ = makeFifo(dir_, "stdin");
    stdout_ = makeFifo(dir_, "stdout");
    if (!terminal) stderr_ = makeFifo(dir_, "stderr");
  } catch (...) {
    removeAll();
    throw;
  }
}

FifoSet::~FifoSet() { removeAll(); }

void FifoSet::removeAll() noexcept {
  for (const std::string* path : {&stdin_, &stdout_, &stderr_})
    if (!path->empty()) ::unlink(path->c_str());
  ::rmdir(dir_.c_str());
}

}  // namespace tenon::ctr
