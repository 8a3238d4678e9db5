// ctr with something on its stdin, which runCtr (stdin /dev/null) cannot give: a file, or
// a pipe the test writes to at its own pace, so that it can kill ctr (or tenond) in the
// middle of an ingest.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "process.hpp"
#include "temp_dir.hpp"

namespace tenon::test {

class CtrWithInput {
 public:
  // Starts `ctr --address <address> args...` reading stdin from a pipe that feed() writes.
  CtrWithInput(const std::string& address, const std::vector<std::string>& args);
  // The same, reading stdin from `inputFile`.
  CtrWithInput(const std::string& address, const std::vector<std::string>& args, const std::string& inputFile);
  // Kills ctr if it still runs.
  ~CtrWithInput();
  CtrWithInput(const CtrWithInput&) = delete;
  CtrWithInput& operator=(const CtrWithInput&) = delete;

  // Writes all of `bytes` into ctr's stdin; false when ctr stopped reading (it exited)
  // or did not take them within `timeout`.
  bool feed(std::string_view bytes, std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // Ends ctr's stdin.
  void closeInput();
  // SIGKILL, as a crash or an impatient user would, and reaps it.
  void kill9();
  // Closes stdin and waits for ctr to exit (SIGKILL after `timeout`): how it went.
  ProcessResult finish(std::chrono::milliseconds timeout = std::chrono::seconds(20));

 private:
  void start(const std::string& address, const std::vector<std::string>& args, int input);

  TempDir dir_{"tenon-ctr-output"};
  pid_t pid_ = -1;
  int input_ = -1;  // our end of the stdin pipe, -1 once closed or when stdin is a file
  std::optional<ExitStatus> status_;
};

// Runs ctr to completion with stdin from `inputFile`.
ProcessResult runCtrWithInput(const std::string& address, const std::vector<std::string>& args,
                              const std::string& inputFile);

}  // namespace tenon::test
