#include "run_fixture.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <tenon/mounter.hpp>

namespace tenon::run_test {

namespace stdfs = std::filesystem;

namespace {

std::string randomHex() {
  static std::mt19937_64 random{std::random_device{}()};
  char hex[16];
  std::snprintf(hex, sizeof hex, "%06llx", static_cast<unsigned long long>(random() & 0xffffffu));
  return hex;
}

// The busybox image as an OCI archive, built once per test process by the same
// script developers use (umoci and skopeo, from Debian's busybox-static).
const std::string& busyboxArchive() {
  static TempDir dir{"tenon-run-image"};
  static const std::string archive = [] {
    std::string out = dir / "busybox.tar";
    ProcessResult made =
        runProcess({"bash", MAKE_BUSYBOX_IMAGE, out, kImage}, {.env = {}, .timeout = std::chrono::seconds(90)});
    REQUIRE_MESSAGE(made.status.code == 0, "scripts/make-busybox-image failed: ", made.err);
    return out;
  }();
  return archive;
}

DaemonOptions runDaemonOptions() {
  DaemonOptions options = contentDaemonOptions();
  options.pluginFiles.push_back(SNAPSHOT_OVERLAY_PLUGIN);
  options.pluginFiles.push_back(RUNTIME_RUNC_PLUGIN);
  options.extraToml = "[plugins.\"runtime.runc\"]\nbinary = \"" RUNC_PATH "\"\n";
  return options;
}

// The arguments of process `pid`, empty when it is gone.
std::vector<std::string> commandLine(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/cmdline");
  std::vector<std::string> args;
  for (std::string arg; std::getline(in, arg, '\0');) args.push_back(arg);
  return args;
}

// "R", "S", "Z"...: the state field of /proc/PID/stat; "" when the process is gone.
std::string processState(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  std::getline(stat, text);
  size_t close = text.rfind(')');
  if (close == std::string::npos || close + 2 >= text.size()) return "";
  return text.substr(close + 2, 1);
}

}  // namespace

RunFixture::RunFixture() : nsPrefix_("run-" + randomHex()), daemon_(runDaemonOptions()) {
  daemon_.start();
  importImage(ns());
}

RunFixture::~RunFixture() {
  try {
    cleanUp();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cleaning up after a run test: %s\n", e.what());
  }
}

std::string RunFixture::ns(const std::string& name) const { return nsPrefix_ + (name.empty() ? "" : "-" + name); }

void RunFixture::importImage(const std::string& ns) {
  ProcessResult imported = ctr({"images", "import", busyboxArchive()}, std::chrono::seconds(60), ns);
  REQUIRE_MESSAGE(imported.status.code == 0, "ctr images import failed: ", imported.err);
}

ProcessResult RunFixture::ctr(const std::vector<std::string>& args, std::chrono::milliseconds timeout,
                              const std::string& ns) {
  std::string inNs = ns.empty() ? this->ns() : ns;
  namespaces_.insert(inNs);
  std::vector<std::string> argv = {"-n", inNs};
  argv.insert(argv.end(), args.begin(), args.end());
  return runCtr(daemon_.address(), argv, {.env = {}, .timeout = timeout});
}

ProcessResult RunFixture::ctrOk(const std::vector<std::string>& args, const std::string& ns) {
  ProcessResult result = ctr(args, std::chrono::seconds(60), ns);
  std::string command;
  for (const std::string& a : args) command += a + " ";
  REQUIRE_MESSAGE(result.status.code == 0, "ctr ", command, "failed (", result.status.describe(),
                  result.timedOut ? ", timed out" : "", "): ", result.err);
  return result;
}

std::vector<ListedTask> RunFixture::tasks(const std::string& ns) {
  std::vector<ListedTask> out;
  for (const auto& t : nlohmann::json::parse(ctrOk({"tasks", "ls", "--format", "json"}, ns).out))
    out.push_back({t.at("id").get<std::string>(), t.at("pid").get<pid_t>(), t.at("status").get<std::string>()});
  return out;
}

std::optional<ListedTask> RunFixture::task(const std::string& id, const std::string& ns) {
  for (ListedTask& t : tasks(ns))
    if (t.id == id) return t;
  return std::nullopt;
}

std::vector<std::string> RunFixture::containers(const std::string& ns) {
  return outputLines(ctrOk({"containers", "ls", "-q"}, ns).out);
}

std::vector<std::string> RunFixture::snapshots(const std::string& ns) {
  return outputLines(ctrOk({"snapshots", "ls", "-q"}, ns).out);
}

pid_t RunFixture::runDetached(const std::string& id, const std::vector<std::string>& args, const std::string& ns) {
  std::vector<std::string> argv = {"run", "-d", kImage, id};
  argv.insert(argv.end(), args.begin(), args.end());
  ctrOk(argv, ns);
  std::optional<ListedTask> listed = task(id, ns);
  REQUIRE_MESSAGE(listed, "ctr run -d ", id, " left no task");
  REQUIRE(listed->pid > 0);
  return listed->pid;
}

void RunFixture::removeContainer(const std::string& id, const std::string& ns) {
  ctrOk({"tasks", "rm", "-f", id}, ns);
  ctrOk({"containers", "rm", id}, ns);
}

std::vector<std::string> RunFixture::mountsLeft() const { return tenon::mountPointsUnder(daemon_.dir().path()); }

std::vector<pid_t> RunFixture::shimsLeft() const {
  std::vector<pid_t> pids;
  std::error_code ec;
  for (const auto& entry : stdfs::directory_iterator("/proc", ec)) {
    std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::vector<std::string> args = commandLine(name);
    if (args.empty() || stdfs::path(args[0]).filename() != "tenon-shim-runc") continue;
    for (const std::string& arg : args)
      if (arg.find(daemon_.state()) != std::string::npos) {
        pids.push_back(static_cast<pid_t>(std::stol(name)));
        break;
      }
  }
  return pids;
}

// Whatever a failed test left: the daemon first (so that nothing restarts what
// follows), then shims by pid, the containers through runc itself, mounts, cgroups.
void RunFixture::cleanUp() {
  daemon_.stop();
  for (pid_t shim : shimsLeft()) ::kill(shim, SIGKILL);
  eventually([this] { return shimsLeft().empty(); }, std::chrono::seconds(5));
  std::error_code ec;
  stdfs::path runcRoots = stdfs::path(daemon_.state()) / "runtime.runc" / "runc";
  for (const auto& nsDir : stdfs::directory_iterator(runcRoots, ec))
    for (const auto& container : stdfs::directory_iterator(nsDir.path(), ec))
      runProcess({RUNC_PATH, "--root", nsDir.path().string(), "delete", "--force", container.path().filename().string()});
  if (!tenon::unmountAllUnder(daemon_.dir().path()))
    std::fprintf(stderr, "still mounted under %s\n", daemon_.dir().path().c_str());
  // runc removes a container's cgroup, not the per-namespace parent (/tenon/<ns>).
  for (const auto& controller : stdfs::directory_iterator("/sys/fs/cgroup", ec))
    for (const std::string& ns : namespaces_) {
      stdfs::path parent = controller.path() / "tenon" / ns;
      for (const auto& left : stdfs::directory_iterator(parent, ec)) ::rmdir(left.path().c_str());
      ::rmdir(parent.c_str());
    }
}

bool catchesSignal(pid_t pid, int signal) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (!line.starts_with("SigCgt:")) continue;
    unsigned long long mask = std::stoull(line.substr(7), nullptr, 16);
    return (mask >> (signal - 1)) & 1u;
  }
  return false;
}

bool processAlive(pid_t pid) {
  std::string state = processState(pid);
  return !state.empty() && state != "Z" && state != "X";
}

std::vector<std::string> outputLines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

}  // namespace tenon::run_test
