// Starting child processes (the OCI runtime binary, the shim) from a
// process that may have threads and blocked signals: posix_spawn, never a
// bare fork; the child gets fds 0-2 as asked and nothing else (every fd we
// open is close-on-exec), an empty signal mask and default dispositions.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <tenon/unique_fd.hpp>
#include <vector>

namespace tenon::runtime_runc {

// Fds 0-2 of a child: an open fd to hand on, or kNone.
struct ChildStdio {
  static constexpr int kNone = -1;
  int in = kNone;   // kNone: /dev/null
  int out = kNone;  // kNone: /dev/null for spawnChild, captured by runCommand
  int err = kNone;  // likewise
};

// Starts argv[0] (a path) with `stdio`; its pid. Throws tenon::Error naming
// the program when it cannot be started.
pid_t spawnChild(const std::vector<std::string>& argv, const ChildStdio& stdio);

// How a command ended and what it wrote to the streams it was not handed.
struct CommandResult {
  int exitCode = 0;  // WEXITSTATUS, or 128 + the signal that ended it
  bool timedOut = false;
  std::string out;
  std::string err;
  bool ok() const { return exitCode == 0 && !timedOut; }
};

// Runs argv to completion; out/err left kNone are captured (while it runs,
// so a chatty child never blocks on a full pipe). After `timeout` the child
// is killed and the result says so. Reaps only its own child.
CommandResult runCommand(const std::vector<std::string>& argv, const ChildStdio& stdio,
                         std::chrono::milliseconds timeout);

// A pidfd for `pid` (close-on-exec); an empty UniqueFd when the kernel has
// none. Polling it says when the process has exited, with a timeout.
UniqueFd openPidfd(pid_t pid);

// The exit code a wait status stands for: the code, or 128 + the signal (as a shell reports it).
int exitCodeOf(int waitStatus);

// The absolute path of `program`: itself when it holds a '/', else found in
// $PATH; throws not_found naming it.
std::string resolveProgram(const std::string& program);

}  // namespace tenon::runtime_runc
