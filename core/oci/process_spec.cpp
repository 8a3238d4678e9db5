#include "oci/process_spec.hpp"

#include <tenon/error.hpp>

#include "oci/capabilities.hpp"
#include "oci/environment.hpp"
#include "oci/spec_defaults.hpp"
#include "oci/spec_text.hpp"

namespace tenon::oci {

namespace {

using Json = nlohmann::json;

Json capabilities(bool privileged) {
  Json set = privileged ? Json(currentCapabilities()) : Json(kDefaultCapabilities);
  // Inheritable and ambient stay empty: filled, they would hand the caps on
  // across execve of non-root programs (CVE-2022-24769).
  return {{"bounding", set},
          {"effective", set},
          {"permitted", set},
          {"inheritable", Json::array()},
          {"ambient", Json::array()}};
}

Json userJson(const User& user) {
  return {{"uid", user.uid}, {"gid", user.gid}, {"additionalGids", user.additionalGids}};
}

}  // namespace

std::vector<std::string> processArgs(const ImageConfig& image, const SpecOptions& options) {
  std::vector<std::string> args = options.entrypoint.value_or(image.entrypoint);
  // `docker run` semantics: the user's args replace Cmd, and so does a user
  // entrypoint (the image's Cmd was written for the image's entrypoint).
  const std::vector<std::string>& tail = !options.args.empty() || options.entrypoint ? options.args : image.cmd;
  args.insert(args.end(), tail.begin(), tail.end());
  if (args.empty())
    fail(TENON_INVALID_ARGUMENT, "no command to run: the image has no Entrypoint or Cmd and none was given");
  for (const std::string& arg : args) requireSpecText("argument", arg);
  return args;
}

std::vector<std::string> processEnv(const ImageConfig& image, const SpecOptions& options) {
  std::vector<std::string> env{std::string(kDefaultPath)};
  if (options.terminal) env.emplace_back("TERM=xterm");  // what ctr and docker set for a TTY
  mergeEnv(env, image.env);  // validated by parseImageConfig
  for (const std::string& entry : options.env) validateEnvEntry("--env", entry);
  mergeEnv(env, options.env);
  return env;
}

std::string processCwd(const ImageConfig& image, const SpecOptions& options) {
  std::string cwd = options.cwd ? *options.cwd : image.workingDir.empty() ? "/" : image.workingDir;
  std::string_view what = options.cwd ? "--cwd" : "image WorkingDir";
  requireSpecText(what, cwd);
  if (cwd.empty() || cwd.front() != '/') refuse(what, cwd, "it is not an absolute path");
  // No program starts in /proc; a cwd like /proc/self/fd/7 is how a leaked
  // runtime fd reached the host's filesystem (CVE-2024-21626).
  if (cwd == "/proc" || cwd.starts_with("/proc/")) refuse(what, cwd, "it is under /proc");
  return cwd;
}

Json processSpec(const ImageConfig& image, const SpecOptions& options, const User& user) {
  return {{"terminal", options.terminal},
          {"user", userJson(user)},
          {"args", processArgs(image, options)},
          {"env", processEnv(image, options)},
          {"cwd", processCwd(image, options)},
          {"capabilities", capabilities(options.privileged)},
          {"rlimits", Json::array({{{"type", "RLIMIT_NOFILE"}, {"hard", kDefaultNofile}, {"soft", kDefaultNofile}}})},
          // Privileged containers run tools (su, ping, sudo) that need setuid bits to work.
          {"noNewPrivileges", !options.privileged}};
}

}  // namespace tenon::oci
