#include "local_registry.hpp"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace tenon::test {

using namespace std::chrono_literals;

int freeLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof addr;
  bool bound =
      ::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &size) == 0;
  ::close(fd);
  REQUIRE_MESSAGE(bound, "no free port on 127.0.0.1");
  return ntohs(addr.sin_port);
}

std::string httpStatus(const std::string &url) {
  ProcessResult curl = runProcess({"curl", "-s", "-o", "/dev/null", "-w",
                                   "%{http_code}", "--max-time", "2", url});
  return curl.out.empty() ? "000" : curl.out;
}

LocalRegistry::LocalRegistry(LocalRegistryOptions options)
    : options_(std::move(options)),
      host_("127.0.0.1:" + std::to_string(freeLoopbackPort())) {
  if (options_.htpasswd) {
    ProcessResult made =
        runProcess({"htpasswd", "-Bbc", dir_ / "htpasswd",
                    options_.htpasswd->name, options_.htpasswd->password});
    REQUIRE_MESSAGE(made.status.code == 0, "htpasswd failed: ", made.err);
  }
  writeConfig();
  start();
}

LocalRegistry::~LocalRegistry() { stop(); }

void LocalRegistry::writeConfig() const {
  std::string yaml = "version: 0.1\n"
                     "log:\n  level: info\n"
                     "storage:\n"
                     "  filesystem:\n    rootdirectory: '" +
                     dir_ / "storage" +
                     "'\n"
                     "  delete:\n    enabled: true\n"
                     "http:\n  addr: " +
                     host_ + "\n";
  if (options_.htpasswd)
    yaml += "auth:\n  htpasswd:\n    realm: tenon-test\n    path: '" +
            dir_ / "htpasswd" + "'\n";
  if (options_.token)
    yaml += "auth:\n  token:\n    realm: '" + options_.token->realm +
            "'\n    service: '" + options_.token->service + "'\n    issuer: '" +
            options_.token->issuer + "'\n    rootcertbundle: '" +
            options_.token->rootCertBundle + "'\n";
  if (options_.allowLoopbackLayerUrls)
    yaml += "validation:\n  manifests:\n    urls:\n      allow:\n        - "
            "'^http://127\\.0\\.0\\.1:[0-9]+/'\n";
  writeFile(dir_ / "config.yml", yaml);
}

void LocalRegistry::start() {
  REQUIRE_MESSAGE(!process_, "the registry is already running");
  process_ = std::make_unique<BackgroundProcess>(
      std::vector<std::string>{"docker-registry", "serve", dir_ / "config.yml"},
      std::vector<std::string>{}, dir_ / "registry.log");
  // 200 when open, 401 when it asks for credentials: either way it serves.
  auto deadline = std::chrono::steady_clock::now() + 10s;
  for (std::string status = httpStatus(url() + "/v2/");
       status != "200" && status != "401";
       status = httpStatus(url() + "/v2/")) {
    REQUIRE_MESSAGE(process_->running(), "docker-registry exited: ", log());
    REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline,
                    "docker-registry does not serve on ", host_, ": ", log());
    std::this_thread::sleep_for(50ms);
  }
}

void LocalRegistry::stop() {
  if (!process_)
    return;
  process_->signal(SIGTERM);
  if (!process_->waitFor(5s))
    kill();
  process_.reset();
}

void LocalRegistry::kill() {
  if (!process_)
    return;
  process_->signal(SIGKILL);
  process_->waitFor(5s);
  process_.reset();
}

pid_t LocalRegistry::pid() const { return process_ ? process_->pid() : -1; }

std::string LocalRegistry::blobFile(const std::string &digest) const {
  std::string hex = digest.substr(digest.find(':') + 1);
  return dir_ / ("storage/docker/registry/v2/blobs/sha256/" + hex.substr(0, 2) +
                 "/" + hex + "/data");
}

std::string LocalRegistry::log() const {
  return readFile(dir_ / "registry.log");
}

} // namespace tenon::test
