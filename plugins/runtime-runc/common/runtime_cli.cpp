#include "common/runtime_cli.hpp"

#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>
#include <tenon/error.hpp>

#include "common/files.hpp"

namespace tenon::runtime_runc {

namespace stdfs = std::filesystem;
using nlohmann::json;

namespace {

// runc create/exec may pull images of nothing but may wait on slow disks or
// cgroups; a minute is far past normal and short of a hang.
constexpr std::chrono::seconds kCommandTimeout{60};

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

uintmax_t sizeOf(const stdfs::path& file) {
  std::error_code ec;
  uintmax_t size = stdfs::file_size(file, ec);
  return ec ? 0 : size;
}

}  // namespace

CommandResult RuntimeCli::run(const std::string& subcommand, std::vector<std::string> args, const ChildStdio& stdio) {
  std::vector<std::string> argv{options_.binary, "--root", options_.root.string(), "--log", options_.log.string(),
                                "--log-format",  "json"};
  argv.insert(argv.end(), options_.globalArgs.begin(), options_.globalArgs.end());
  argv.push_back(subcommand);
  argv.insert(argv.end(), args.begin(), args.end());
  uintmax_t logStart = sizeOf(options_.log);
  CommandResult result = runCommand(argv, stdio, kCommandTimeout);
  std::string what = stdfs::path(options_.binary).filename().string() + " " + subcommand + " " + options_.id;
  if (result.timedOut)
    fail(TENON_DEADLINE_EXCEEDED, what + " did not finish within " + std::to_string(kCommandTimeout.count()) + " s");
  if (result.exitCode != 0) {
    std::string message = lastLoggedError(logStart);
    if (message.empty()) message = trim(result.err);
    if (message.empty()) message = "exit code " + std::to_string(result.exitCode);
    fail(TENON_FAILED_PRECONDITION, what + ": " + message);
  }
  return result;
}

// The message of the last error-level entry the runtime logged since `from`.
std::string RuntimeCli::lastLoggedError(uintmax_t from) const {
  std::optional<std::string> log = readFileIfExists(options_.log);
  if (!log || log->size() <= from) return "";
  std::istringstream lines(log->substr(from));
  std::string message;
  for (std::string line; std::getline(lines, line);) {
    json entry = json::parse(line, nullptr, false);
    if (entry.is_object() && entry.value("level", "") == "error" && entry.contains("msg") && entry["msg"].is_string())
      message = entry["msg"].get<std::string>();
  }
  return message;
}

void RuntimeCli::create(const stdfs::path& pidFile, const ChildStdio& stdio, const std::string& consoleSocket) {
  std::vector<std::string> args{"--bundle", options_.bundle.string(), "--pid-file", pidFile.string()};
  if (!consoleSocket.empty()) args.insert(args.end(), {"--console-socket", consoleSocket});
  args.push_back(options_.id);
  run("create", std::move(args), stdio);
}

void RuntimeCli::start() { run("start", {options_.id}, {}); }

void RuntimeCli::kill(int signal, bool all) {
  std::vector<std::string> args;
  if (all) args.push_back("--all");
  args.insert(args.end(), {options_.id, std::to_string(signal)});
  run("kill", std::move(args), {});
}

void RuntimeCli::pause() { run("pause", {options_.id}, {}); }

void RuntimeCli::resume() { run("resume", {options_.id}, {}); }

void RuntimeCli::exec(const stdfs::path& processSpec, const stdfs::path& pidFile, const ChildStdio& stdio,
                      const std::string& consoleSocket) {
  std::vector<std::string> args{"--detach", "--process", processSpec.string(), "--pid-file", pidFile.string()};
  if (!consoleSocket.empty()) args.insert(args.end(), {"--console-socket", consoleSocket});
  args.push_back(options_.id);
  run("exec", std::move(args), stdio);
}

std::vector<uint32_t> RuntimeCli::ps() {
  CommandResult result = run("ps", {"--format", "json", options_.id}, {});
  json pids = json::parse(result.out, nullptr, false);
  if (!pids.is_array()) fail(TENON_INTERNAL, "ps of " + options_.id + " printed no JSON array: " + trim(result.out));
  std::vector<uint32_t> out;
  for (const json& pid : pids)
    if (pid.is_number_unsigned()) out.push_back(pid.get<uint32_t>());
  return out;
}

void RuntimeCli::remove(bool force) {
  std::vector<std::string> args;
  if (force) args.push_back("--force");
  args.push_back(options_.id);
  run("delete", std::move(args), {});
}

uint32_t readPidFile(const stdfs::path& pidFile) {
  std::optional<std::string> text = readFileIfExists(pidFile);
  if (!text) fail(TENON_INTERNAL, "the runtime wrote no pid file " + pidFile.string());
  try {
    unsigned long pid = std::stoul(*text);
    if (pid > 0 && pid <= UINT32_MAX) return static_cast<uint32_t>(pid);
  } catch (const std::exception&) {
  }
  fail(TENON_INTERNAL, "the pid file " + pidFile.string() + " holds no pid: \"" + trim(*text) + "\"");
}

}  // namespace tenon::runtime_runc
