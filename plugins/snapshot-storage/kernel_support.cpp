#include "kernel_support.hpp"

#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <string>
#include <tenon/error.hpp>

extern char** environ;

namespace tenon::snapshot_storage {

namespace {

// Best effort: a missing modprobe or a failed load just leaves the type unlisted.
void modprobe(std::string_view type) {
  std::string name(type);
  char* argv[] = {const_cast<char*>("modprobe"), const_cast<char*>("-q"), name.data(), nullptr};
  pid_t pid = 0;
  if (::posix_spawnp(&pid, "modprobe", nullptr, nullptr, argv, environ) != 0) return;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace

std::string readProcFilesystems() {
  std::ifstream in("/proc/filesystems");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool listsFilesystem(std::string_view text, std::string_view type) {
  // Lines are "[nodev]\t<type>".
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    size_t tab = line.rfind('\t');
    if (line.substr(tab == std::string_view::npos ? 0 : tab + 1) == type) return true;
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return false;
}

void requireKernelFilesystem(std::string_view type) {
  if (listsFilesystem(readProcFilesystems(), type)) return;
  modprobe(type);
  if (listsFilesystem(readProcFilesystems(), type)) return;
  // Nothing more: `ctr plugins ls` shows it as "init failed: ..." on the plugin's own row.
  fail(TENON_FAILED_PRECONDITION, std::string(type) + " is not supported by this kernel");
}

}  // namespace tenon::snapshot_storage
