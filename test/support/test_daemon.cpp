#include "test_daemon.hpp"

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <thread>

namespace tenon::test {
namespace {

std::string tomlString(const std::string& value) {
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

std::string tomlArray(const std::vector<std::string>& values) {
  std::string array = "[";
  for (size_t i = 0; i < values.size(); ++i) array += (i ? ", " : "") + tomlString(values[i]);
  return array + "]";
}

}  // namespace

bool socketAccepts(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) return false;
  std::memcpy(addr.sun_path, path.data(), path.size());
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  bool accepted = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return accepted;
}

TestDaemon::TestDaemon(DaemonOptions options) : options_(std::move(options)) {
  root_ = options_.root.empty() ? dir_ / "root" : options_.root;
  state_ = options_.state.empty() ? dir_ / "state" : options_.state;
  address_ = options_.address.empty() ? dir_ / "tenon.sock" : options_.address;
  config_ = dir_ / "config.toml";
  logFile_ = dir_ / "tenond.log";
  writeFile(config_, options_.configText.value_or(generatedConfig()));
}

TestDaemon::~TestDaemon() { stop(); }

std::string TestDaemon::generatedConfig() const {
  return "root = " + tomlString(root_) + "\n" +                        //
         "state = " + tomlString(state_) + "\n" +                      //
         "plugin_dirs = " + tomlArray(options_.pluginDirs) + "\n" +    //
         "plugin_files = " + tomlArray(options_.pluginFiles) + "\n" +  //
         "[rpc]\n" +                                                   //
         "address = " + tomlString(address_) + "\n" +                  //
         options_.rpcToml + "\n" + options_.extraToml + "\n";
}

std::vector<std::string> TestDaemon::argv() const {
  std::vector<std::string> argv = {options_.tenond, "--config", config_};
  if (options_.configText) argv.insert(argv.end(), {"--root", root_, "--state", state_, "--address", address_});
  return argv;
}

void TestDaemon::launch() {
  if (running()) throw std::logic_error("tenond is already running as pid " + std::to_string(pid()));
  writeFile(logFile_, "");  // log() shows this run only
  process_.reset();
  lastStatus_.reset();
  process_ = std::make_unique<BackgroundProcess>(argv(), std::vector<std::string>{}, logFile_);
}

void TestDaemon::start() {
  launch();
  auto deadline = std::chrono::steady_clock::now() + options_.startTimeout;
  while (!socketAccepts(address_)) {
    if (!running()) throw std::runtime_error("tenond exited (" + stop().describe() + ") before serving:\n" + log());
    if (std::chrono::steady_clock::now() >= deadline) {
      kill9();
      throw std::runtime_error("tenond did not serve on " + address_ + " in time:\n" + log());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

ExitStatus TestDaemon::startExpectingExit() {
  launch();
  if (auto status = process_->waitFor(options_.startTimeout)) return *lastStatus_ = *status;
  kill9();
  throw std::runtime_error("tenond was expected to exit but still ran:\n" + log());
}

ExitStatus TestDaemon::stop() {
  if (!process_) return lastStatus_.value_or(ExitStatus{});
  process_->signal(SIGTERM);
  auto status = process_->waitFor(options_.stopTimeout);
  if (!status) {
    process_->signal(SIGKILL);
    status = process_->waitFor(options_.stopTimeout);
  }
  process_.reset();  // reaps it, whatever happened
  if (status) lastStatus_ = status;
  return lastStatus_.value_or(ExitStatus{});
}

void TestDaemon::kill9() {
  if (!process_) return;
  process_->signal(SIGKILL);
  lastStatus_ = process_->waitFor(options_.stopTimeout);
  process_.reset();
}

bool TestDaemon::running() const { return process_ && process_->running(); }

pid_t TestDaemon::pid() const { return process_ ? process_->pid() : -1; }

std::string TestDaemon::log() const { return readFile(logFile_); }

}  // namespace tenon::test
