#include "metrics_daemon.hpp"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <tenon/unique_fd.hpp>

#include "image_archives.hpp"

namespace tenon::test {

namespace {

// A loopback port nobody listens on now (the kernel's pick for port 0).
int freeLoopbackPort() {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  REQUIRE(::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  return ntohs(addr.sin_port);
}

DaemonOptions metricsDaemonOptions(int port) {
  DaemonOptions options;
  options.tenond = kTenond;
  options.pluginFiles = {CONTENT_LOCAL_PLUGIN, SNAPSHOT_OVERLAY_PLUGIN, RUNTIME_RUNC_PLUGIN, METRICS_CGROUP_PLUGIN};
  options.extraToml = "[metrics]\naddress = \"127.0.0.1:" + std::to_string(port) + "\"\n"
                      "[plugins.\"runtime.runc\"]\nbinary = \"" RUNC_PATH "\"\n";
  return options;
}

}  // namespace

MetricsDaemon::MetricsDaemon() : port_(freeLoopbackPort()), daemon_(metricsDaemonOptions(port_)) { daemon_.start(); }

MetricsDaemon::~MetricsDaemon() {
  for (const auto& [ns, id] : started_) {
    ctr(ns, {"tasks", "kill", "-s", "SIGKILL", id});
    ctr(ns, {"tasks", "wait", id});
    ctr(ns, {"tasks", "rm", id});
    ctr(ns, {"containers", "rm", id});
  }
  daemon_.stop();
  // runc removes a task's cgroup but not its namespace's parent (/tenon/<ns>), in each hierarchy.
  for (const auto& [ns, id] : started_)
    for (const auto& hierarchy : std::filesystem::directory_iterator("/sys/fs/cgroup"))
      ::rmdir((hierarchy.path() / "tenon" / ns).c_str());
}

ProcessResult MetricsDaemon::ctr(const std::string& ns, const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {"-n", ns};
  argv.insert(argv.end(), args.begin(), args.end());
  return runCtr(daemon_.address(), argv, {.env = {}, .timeout = std::chrono::seconds(30)});
}

void MetricsDaemon::importImage(const std::string& ns) {
  if (!imported_.insert(ns).second) return;
  ProcessResult imported = importArchive(daemon_, ns, busyboxArchives().layoutTar, {"--name", "busybox:latest"});
  REQUIRE_MESSAGE(imported.status.code == 0, imported.err);
}

void MetricsDaemon::runDetached(const std::string& ns, const std::string& id, const std::vector<std::string>& flags,
                                const std::vector<std::string>& command) {
  importImage(ns);
  std::vector<std::string> args = {"run", "-d"};
  args.insert(args.end(), flags.begin(), flags.end());
  args.insert(args.end(), {"busybox:latest", id});
  args.insert(args.end(), command.begin(), command.end());
  ProcessResult run = ctr(ns, args);
  started_.emplace_back(ns, id);
  REQUIRE_MESSAGE(run.status.code == 0, run.err);
}

std::optional<double> MetricsDaemon::sample(const std::string& ns, const std::string& id, const std::string& name,
                                            const std::map<std::string, std::string>& labels) const {
  ProcessResult result = ctr(ns, {"tasks", "metrics", "--format", "json", id});
  REQUIRE_MESSAGE(result.status.code == 0, result.err);
  auto metrics = nlohmann::json::parse(result.out);
  for (const auto& s : metrics["samples"])
    if (s["name"] == name && s["labels"].get<std::map<std::string, std::string>>() == labels)
      return s["value"].get<double>();
  return std::nullopt;
}

std::string MetricsDaemon::httpGet(const std::string& path) const {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port_));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  std::string request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  REQUIRE(::write(fd.get(), request.data(), request.size()) == static_cast<ssize_t>(request.size()));
  std::string response;
  char buffer[65536];
  for (ssize_t n; (n = ::read(fd.get(), buffer, sizeof buffer)) > 0;) response.append(buffer, static_cast<size_t>(n));
  return response;
}

}  // namespace tenon::test
