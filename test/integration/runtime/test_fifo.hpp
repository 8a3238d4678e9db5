// The client's side of a task's stdio: FIFOs the test creates, the way ctr
// does, read and written with bounded waits so that a broken runtime fails
// a test instead of hanging it.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <tenon/unique_fd.hpp>

namespace tenon::runtime_test {

class Fifo {
 public:
  // Creates the FIFO at `path` (mode 0600).
  explicit Fifo(std::filesystem::path path);
  const std::string& path() const { return path_; }

  // Opens the read end now (never blocks): do it before the task is created,
  // as a client does, so that nothing the process writes is lost.
  void openForReading();
  // Reads until every writer has closed (the process is gone), at most
  // `timeout`; what was read, with "<timed out>" appended if it ran out.
  std::string readToEnd(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // Reads until `text` has appeared (or the timeout); what was read so far.
  std::string readUntil(const std::string& text, std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // Writes `text` into the FIFO (someone must hold its read end: the runtime does).
  void write(const std::string& text);
  // Closes the write end this test holds.
  void closeWriter() { writer_.reset(); }

 private:
  std::string path_;
  UniqueFd reader_;
  UniqueFd writer_;
  std::string read_;
};

}  // namespace tenon::runtime_test
