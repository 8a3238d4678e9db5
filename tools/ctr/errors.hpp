// Turns whatever a command throws into the one line a user reads.
#ifndef TENON_CTR_ERRORS_HPP
#define TENON_CTR_ERRORS_HPP

#include <exception>
#include <string>

namespace tenon::ctr {

// A failure reduced to the error vocabulary of common.capnp and one line of text.
struct Failure {
  std::string code;     // "not_found", "unavailable"...; "internal" when nothing says better
  std::string message;  // one line, without the code, kj's file:line or "remote exception: "
  std::string origin;   // who raised it and the raw text (kj type, file:line), for --debug
};

// Describes a kj::Exception (local or remote), a tenon::Error or any std::exception.
Failure describe(std::exception_ptr error);

// Prints `ctr: <message>` on stderr, and with `debug` a second line with code and origin.
void report(const Failure& failure, bool debug);

// Thrown by a command that has reported its failures itself (one line each): main() only
// exits 1.
struct ReportedFailure : std::exception {
  const char* what() const noexcept override { return "failures were reported"; }
};

// Thrown by a command whose exit code is not its own success or failure but, like
// `ctr run`'s, a container's exit status: main() exits with `code`.
struct ExitWith : std::exception {
  explicit ExitWith(int c) : code(c) {}
  const char* what() const noexcept override { return "exit with a process's status"; }
  int code;
};

}  // namespace tenon::ctr

#endif  // TENON_CTR_ERRORS_HPP
