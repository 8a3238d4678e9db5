#include "registry_ctr.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>

#include "text_lines.hpp"
#include "unpack_fixture.hpp"

namespace tenon::test {

DaemonOptions registryDaemonOptions(const std::string &registryToml) {
  DaemonOptions options = unpackDaemonOptions();
  options.extraToml = "[registry]\n" + registryToml + "\n";
  return options;
}

namespace {

std::vector<std::string> pullArgs(const std::string &ns, const std::string &ref,
                                  const std::vector<std::string> &args) {
  std::vector<std::string> argv = {"-n", ns, "images", "pull", "--plain-http"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back(ref);
  return argv;
}

} // namespace

ProcessResult pullImage(const TestDaemon &daemon, const std::string &ns,
                        const std::string &ref,
                        const std::vector<std::string> &args) {
  return runCtr(daemon.address(), pullArgs(ns, ref, args),
                {.env = {}, .timeout = std::chrono::minutes(2)});
}

std::unique_ptr<BackgroundProcess>
startPull(const TestDaemon &daemon, const std::string &ns,
          const std::string &ref, const std::string &outputFile,
          const std::vector<std::string> &args) {
  std::vector<std::string> argv = {kCtr, "--address", daemon.address()};
  for (std::string &arg : pullArgs(ns, ref, args))
    argv.push_back(std::move(arg));
  return std::make_unique<BackgroundProcess>(
      argv, std::vector<std::string>{"TENON_ADDRESS", "TENON_NAMESPACE"},
      outputFile);
}

ProcessResult pushImage(const TestDaemon &daemon, const std::string &ns,
                        const std::string &ref, const std::string &local,
                        const std::vector<std::string> &args) {
  std::vector<std::string> argv = {"-n", ns, "images", "push", "--plain-http"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back(ref);
  if (!local.empty())
    argv.push_back(local);
  return runCtr(daemon.address(), argv,
                {.env = {}, .timeout = std::chrono::minutes(2)});
}

std::vector<std::string> errorLines(const std::string &err) {
  std::vector<std::string> errors;
  for (const std::string &line : lines(err))
    if (line.starts_with("ctr: "))
      errors.push_back(line);
  return errors;
}

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::vector<std::string> imageNames(const TestDaemon &daemon,
                                    const std::string &ns) {
  return lines(ctrOk(daemon, {"-n", ns, "images", "ls", "-q"}).out);
}

std::string storedBlobFile(const TestDaemon &daemon,
                           const std::string &digest) {
  return daemon.root() + "/content.local/blobs/sha256/" +
         digest.substr(digest.find(':') + 1);
}

void requireSucceeded(const ProcessResult &result, const std::string &what) {
  REQUIRE_MESSAGE(
      result.status.code == 0, what, " failed (", result.status.describe(),
      std::string(result.timedOut ? ", timed out" : ""), "): ", result.err);
}

} // namespace tenon::test
