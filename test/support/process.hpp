// Child processes for tests, started with fork/exec (never through a shell):
// runProcess() runs one to completion and captures its output; BackgroundProcess
// keeps one running, owns it, and kills it if the test forgets to.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace tenon::test {

// How a child ended: an exit code, or the signal that killed it.
struct ExitStatus {
  int code = -1;   // the exit code; -1 when a signal ended it
  int signal = 0;  // the terminating signal; 0 when it exited
  std::string describe() const;  // "exit code 1", "killed by signal 9 (Killed)"
};

struct ProcessResult {
  ExitStatus status;
  bool timedOut = false;  // the timeout ran out and the child was killed
  std::string out;        // everything it wrote to stdout
  std::string err;        // and to stderr
};

struct RunOptions {
  // Changes to this process's environment, in order: "NAME=value" sets, "NAME" unsets.
  std::vector<std::string> env;
  // After this the child is killed with SIGKILL and the result says timedOut.
  std::chrono::milliseconds timeout{10'000};
};

// For tests that fork and exec themselves (a pty, a held stdin):
// this process's environment with `overrides` applied ("NAME=value" sets, "NAME" unsets),
std::vector<std::string> environmentWith(const std::vector<std::string>& overrides);
// `strings` as the NULL-terminated array exec wants (pointing into `strings`),
std::vector<char*> cStrings(std::vector<std::string>& strings);
// and a waitpid status as an ExitStatus.
ExitStatus decode(int wstatus);

// Runs argv[0] (searched in PATH when it has no slash) with stdin from /dev/null and
// waits for it. Throws std::system_error when it cannot be started at all.
ProcessResult runProcess(const std::vector<std::string>& argv, const RunOptions& options = {});

// A child running in the background, stdout and stderr appended to one file, stdin
// /dev/null. Destruction kills (SIGKILL) and reaps it if it is still running.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                    const std::filesystem::path& outputFile);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  pid_t pid() const { return pid_; }
  // True until the child has exited (reaping it when it has).
  bool running();
  // Sends `sig` to the child if it still runs.
  void signal(int sig);
  // Waits up to `timeout` for the child to exit: its status, or nullopt if it still runs.
  std::optional<ExitStatus> waitFor(std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
  std::optional<ExitStatus> status_;
};

}  // namespace tenon::test
