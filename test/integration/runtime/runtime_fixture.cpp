#include "runtime_fixture.hpp"

#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <system_error>
#include <tenon/mounter.hpp>
#include <thread>

#include "process.hpp"

namespace tenon::runtime_test {

namespace stdfs = std::filesystem;

namespace {

std::string randomHex() {
  static std::mt19937_64 random{std::random_device{}()};
  std::ostringstream hex;
  hex << std::hex << (random() & 0xffffffu);
  return hex.str();
}

// A busybox root: the static binary and the applets the tests run.
void makeBusyboxRoot(const stdfs::path& root) {
  stdfs::create_directories(root / "bin");
  for (const char* dir : {"proc", "dev", "sys", "tmp"}) stdfs::create_directories(root / dir);
  stdfs::copy_file("/bin/busybox", root / "bin" / "busybox");
  for (const char* applet : {"sh", "echo", "cat", "sleep", "true", "false", "kill", "ps", "ls", "stty", "tty"})
    stdfs::create_symlink("busybox", root / "bin" / applet);
}

std::optional<pid_t> pidIn(const stdfs::path& file) {
  std::ifstream in(file);
  long pid = 0;
  if (in >> pid && pid > 0) return static_cast<pid_t>(pid);
  return std::nullopt;
}

void killPidIn(const stdfs::path& file) {
  if (auto pid = pidIn(file)) ::kill(*pid, SIGKILL);
}

}  // namespace

RuntimeFixture::RuntimeFixture() {
  char tmpl[] = "/tmp/tenon-runtime-XXXXXX";
  REQUIRE(::mkdtemp(tmpl) != nullptr);
  dir_ = tmpl;
  nsPrefix_ = "t" + randomHex();
  makeBusyboxRoot(dir_ / "rootfs");
  logFile_ = std::fopen((dir_ / "plugin.log").c_str(), "w");
  logger_ = std::make_unique<log::Logger>(log::Level::debug, logFile_);
  load();
}

RuntimeFixture::~RuntimeFixture() {
  unload();
  killLeftovers();
  if (tenon::unmountAllUnder(dir_)) {
    std::error_code ignored;
    stdfs::remove_all(dir_, ignored);
  } else {
    std::fprintf(stderr, "left %s in place: something is still mounted under it\n", dir_.c_str());
  }
  std::fclose(logFile_);
}

std::string RuntimeFixture::tryLoad(const std::string& configToml) {
  auto publish = [this](const std::string& ns, const std::string& topic, const std::string& payload) {
    std::lock_guard lock(eventsMutex_);
    events_.push_back({ns, topic, payload});
  };
  plugins_ = std::make_unique<plugins::PluginSet>(registry_, *logger_, publish);
  config::PluginConfig config;
  config.toml = configToml;
  plugins_->load(
      {{}, {RUNTIME_RUNC_PLUGIN}, {{"runtime.runc", config}}, (dir_ / "root").string(), (dir_ / "state").string()});
  REQUIRE(plugins_->plugins().size() == 1);
  const plugins::PluginRecord& record = plugins_->plugins()[0];
  return record.state == plugins::PluginState::loaded ? "" : record.error;
}

void RuntimeFixture::load() {
  std::string error = tryLoad();
  INFO("the plugin did not load: " << error);
  REQUIRE(error.empty());
}

void RuntimeFixture::unload() { plugins_.reset(); }

tasks::RuntimeTable RuntimeFixture::table() const {
  return tasks::RuntimeTable(registry_.get<tenon_runtime_service>("runc"));
}

std::vector<Mount> RuntimeFixture::rootfs() const {
  return {Mount{"bind", (dir_ / "rootfs").string(), "", {"rbind", "rw"}}};
}

std::string RuntimeFixture::ns(const std::string& name) const { return nsPrefix_ + (name.empty() ? "" : "-" + name); }

std::string RuntimeFixture::uniqueId(const std::string& prefix) const { return prefix + "-" + randomHex(); }

tasks::CreateTaskRequest RuntimeFixture::request(const std::string& ns, const std::string& id,
                                                 const std::vector<std::string>& args, const tasks::TaskIo& io) const {
  namespaces_.insert(ns);
  return {ns, id, testSpec(args, io.terminal), rootfs(), io, ""};
}

tasks::TaskState RuntimeFixture::startUntilTerm(const std::string& ns, const std::string& id, int code) {
  Fifo ready = fifo(ns + "-" + id + "-ready");
  ready.openForReading();
  std::string script = "trap 'exit " + std::to_string(code) + "' TERM; echo ready; sleep 1000 & wait";
  table().create(request(ns, id, {"sh", "-c", script}, {"", ready.path(), "", false}));
  tasks::TaskState started = table().start(ns, id);
  REQUIRE(ready.readUntil("ready\n") == "ready\n");
  return started;
}

Fifo RuntimeFixture::fifo(const std::string& name) const { return Fifo(dir_ / name); }

stdfs::path RuntimeFixture::bundle(const std::string& ns, const std::string& id) const {
  return stateDir() / "tasks" / ns / id;
}

std::optional<pid_t> RuntimeFixture::shimPid(const std::string& ns, const std::string& id) const {
  return pidIn(bundle(ns, id) / "shim.pid");
}

std::vector<PublishedEvent> RuntimeFixture::events() const {
  std::lock_guard lock(eventsMutex_);
  return events_;
}

int RuntimeFixture::countEvents(const std::string& ns, const std::string& topic, const std::string& containerId,
                                const std::string& processId) const {
  int n = 0;
  for (const PublishedEvent& e : events()) {
    if (e.ns != ns || e.topic != topic) continue;
    nlohmann::json payload = nlohmann::json::parse(e.payload, nullptr, false);
    if (!payload.is_object() || payload.value("container_id", "") != containerId) continue;
    if (!processId.empty() && payload.value("id", "") != processId) continue;
    ++n;
  }
  return n;
}

// Whatever a failed test left running: its shims and container processes
// (by the pids in the bundles), then the runtime's own records of them.
void RuntimeFixture::killLeftovers() const {
  std::error_code ec;
  for (const auto& ns : stdfs::directory_iterator(stateDir() / "tasks", ec)) {
    for (const auto& task : stdfs::directory_iterator(ns.path(), ec)) {
      killPidIn(task.path() / "shim.pid");
      killPidIn(task.path() / "init" / "pid");
      for (const auto& exec : stdfs::directory_iterator(task.path() / "execs", ec)) killPidIn(exec.path() / "pid");
      std::string root = (stateDir() / "runc" / ns.path().filename()).string();
      // A task the runtime does not know fails here, which is fine.
      test::runProcess({RUNC_PATH, "--root", root, "delete", "--force", task.path().filename().string()});
    }
  }
  // runc removes a task's cgroup, not the per-namespace parent of the
  // plugin's default path (/tenon/<ns>/<id>). /tenon itself stays: other
  // runs may be making cgroups under it right now.
  for (const auto& controller : stdfs::directory_iterator("/sys/fs/cgroup", ec))
    for (const std::string& ns : namespaces_) ::rmdir((controller.path() / "tenon" / ns).c_str());
}

tasks::TaskState waitStopped(const tasks::RuntimeTable& table, const std::string& ns, const std::string& id,
                             const std::string& execId, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (table.state(ns, id, execId).status != tasks::TaskStatus::stopped) {
    REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline,
                    "task " << ns << "/" << id << " " << execId << " did not stop in time");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return table.wait(ns, id, execId);
}

bool processGone(pid_t pid, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    std::getline(stat, text);
    size_t close = text.rfind(')');
    if (!stat || close == std::string::npos || close + 2 >= text.size()) return true;
    char state = text[close + 2];
    if (state == 'Z' || state == 'X') return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::vector<std::string> mountsUnder(const stdfs::path& dir) { return tenon::mountPointsUnder(dir); }

}  // namespace tenon::runtime_test
