// Docker's client-side credentials (docker/cli cli/config and
// docker-credential-helpers): config.json and the credential helper protocol.
// Nothing here logs or puts a secret in an error message.
#include "registry/credentials.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <tenon/error.hpp>
#include <tenon/unique_fd.hpp>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <system_error>

extern char** environ;

namespace tenon::registry {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// Docker keeps Docker Hub's credentials under its v1 index URL.
constexpr std::string_view kDockerHubServer = "https://index.docker.io/v1/";
constexpr std::string_view kDockerHubHost = "index.docker.io";
constexpr std::string_view kHelperPrefix = "docker-credential-";
// docker-credential-helpers' ErrCredentialsNotFound: "credentials not found in native keychain".
constexpr std::string_view kHelperNotFound = "credentials not found";
constexpr std::string_view kIdentityTokenUser = "<token>";
constexpr std::size_t kMaxHelperOutput = std::size_t{1} << 20;
constexpr std::size_t kMaxShownOutput = 200;

bool isDockerHub(std::string_view host) {
  return host == "docker.io" || host == kDockerHubHost || host == "registry-1.docker.io";
}

// The host a config key names, Docker Hub's aliases as one: Docker's
// convertToHostname drops the scheme and any path ("https://host:5000/v1/" -> "host:5000").
std::string canonicalHost(std::string_view key) {
  if (std::size_t sep = key.find("://"); sep != std::string_view::npos) key.remove_prefix(sep + 3);
  key = key.substr(0, key.find('/'));
  return isDockerHub(key) ? std::string(kDockerHubHost) : std::string(key);
}

fs::path configFile() {
  if (const char* dir = std::getenv("DOCKER_CONFIG"); dir && *dir) return fs::path(dir) / "config.json";
  const char* home = std::getenv("HOME");
  if (!home || !*home) {
    const passwd* pw = ::getpwuid(::getuid());
    home = pw ? pw->pw_dir : nullptr;
  }
  return home ? fs::path(home) / ".docker" / "config.json" : fs::path();
}

// The parsed config.json, or null when there is none.
json readConfig(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!fs::exists(file, ec)) return nullptr;
    fail(TENON_INVALID_ARGUMENT, fmt::format("cannot read {}", file.string()));
  }
  try {
    json config = json::parse(in);
    if (!config.is_object()) fail(TENON_INVALID_ARGUMENT, fmt::format("{}: not a JSON object", file.string()));
    return config;
  } catch (const json::exception& e) {
    fail(TENON_INVALID_ARGUMENT, fmt::format("{}: malformed JSON: {}", file.string(), e.what()));
  }
}

// The value under the key of `section` that names `host`.
const json* entryFor(const json& config, std::string_view section, const std::string& host) {
  auto it = config.find(section);
  if (it == config.end() || !it->is_object()) return nullptr;
  const std::string wanted = canonicalHost(host);
  for (auto entry = it->begin(); entry != it->end(); ++entry)
    if (canonicalHost(entry.key()) == wanted) return &entry.value();
  return nullptr;
}

std::string decodeBase64(std::string_view text) {
  if (text.size() % 4 != 0) throw std::invalid_argument("length is not a multiple of 4");
  std::string out(text.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) throw std::invalid_argument("not base64");
  // EVP_DecodeBlock counts the padding as decoded zero bytes.
  std::size_t padding = text.ends_with("==") ? 2 : text.ends_with("=") ? 1 : 0;
  out.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

std::string stringField(const json& entry, const char* name) {
  auto it = entry.find(name);
  return it != entry.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// An `auths` entry: identitytoken, else base64 "user:pass" in auth, else username/password.
std::optional<Credentials> authsEntry(const json& entry, const fs::path& file, const std::string& host) {
  if (!entry.is_object()) return std::nullopt;
  if (std::string token = stringField(entry, "identitytoken"); !token.empty()) return Credentials{"", token};
  if (std::string auth = stringField(entry, "auth"); !auth.empty()) {
    std::string decoded;
    try {
      decoded = decodeBase64(auth);
    } catch (const std::invalid_argument& e) {
      fail(TENON_INVALID_ARGUMENT, fmt::format("{}: auths entry for {}: auth is {}", file.string(), host, e.what()));
    }
    std::size_t colon = decoded.find(':');
    if (colon == std::string::npos)
      fail(TENON_INVALID_ARGUMENT,
           fmt::format("{}: auths entry for {}: auth is not base64 of \"user:password\"", file.string(), host));
    return Credentials{decoded.substr(0, colon), decoded.substr(colon + 1)};
  }
  std::string username = stringField(entry, "username"), password = stringField(entry, "password");
  if (username.empty() && password.empty()) return std::nullopt;
  return Credentials{username, password};
}

// Owns a posix_spawn_file_actions_t for the length of a spawn.
class SpawnActions {
 public:
  SpawnActions() { ::posix_spawn_file_actions_init(&actions_); }
  ~SpawnActions() { ::posix_spawn_file_actions_destroy(&actions_); }
  SpawnActions(const SpawnActions&) = delete;
  SpawnActions& operator=(const SpawnActions&) = delete;
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

// Runs `program get` with `input` on stdin; its exit status and stdout.
std::pair<int, std::string> runHelper(const std::string& program, const std::string& input) {
  auto failWith = [&](std::string_view what, int err) {
    fail(TENON_INVALID_ARGUMENT,
         fmt::format("credential helper {}: {}: {}", program, what, std::system_category().message(err)));
  };
  // stdin is a memfd, not a pipe: nothing to write while the helper runs, and
  // no SIGPIPE when a helper exits without reading.
  UniqueFd in(::memfd_create("docker-credential-input", MFD_CLOEXEC));
  if (!in || ::write(in.get(), input.data(), input.size()) != static_cast<ssize_t>(input.size()) ||
      ::lseek(in.get(), 0, SEEK_SET) != 0)
    failWith("cannot prepare its input", errno);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) failWith("cannot make a pipe", errno);
  UniqueFd outRead(fds[0]), outWrite(fds[1]);

  SpawnActions actions;
  ::posix_spawn_file_actions_adddup2(actions.get(), in.get(), STDIN_FILENO);
  ::posix_spawn_file_actions_adddup2(actions.get(), outWrite.get(), STDOUT_FILENO);
  std::string get = "get";
  char* argv[] = {const_cast<char*>(program.c_str()), get.data(), nullptr};
  pid_t pid = -1;
  if (int err = ::posix_spawnp(&pid, program.c_str(), actions.get(), nullptr, argv, environ); err != 0)
    failWith(err == ENOENT ? "not found on PATH" : "cannot run it", err);
  outWrite.reset();

  std::string out;
  char buffer[4096];
  while (out.size() <= kMaxHelperOutput) {
    ssize_t n = ::read(outRead.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  outRead.reset();  // a helper still writing past the cap gets SIGPIPE and ends
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (out.size() > kMaxHelperOutput)
    fail(TENON_INVALID_ARGUMENT, fmt::format("credential helper {}: more than {} bytes of output", program,
                                             kMaxHelperOutput));
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), std::move(out)};
}

std::optional<Credentials> helperCredentials(const std::string& helper, const std::string& host) {
  // A name with a slash would run a file by path instead of a helper on PATH.
  if (helper.find('/') != std::string::npos)
    fail(TENON_INVALID_ARGUMENT, fmt::format("credential helper name {:?} has a '/'", helper));
  const std::string program = std::string(kHelperPrefix) + helper;
  const std::string server = isDockerHub(host) ? std::string(kDockerHubServer) : host;
  auto [status, out] = runHelper(program, server);
  if (status != 0) {
    if (out.find(kHelperNotFound) != std::string::npos) return std::nullopt;
    // A failing helper prints its error, never a secret, on stdout.
    std::string shown = out.substr(0, out.find('\n')).substr(0, kMaxShownOutput);
    fail(TENON_INVALID_ARGUMENT, fmt::format("credential helper {} failed for {} (exit status {}): {}", program,
                                             host, status, shown.empty() ? "no message" : shown));
  }
  json reply;
  try {
    reply = json::parse(out);
  } catch (const json::exception&) {
    fail(TENON_INVALID_ARGUMENT, fmt::format("credential helper {}: its answer for {} is not JSON", program, host));
  }
  if (!reply.is_object())
    fail(TENON_INVALID_ARGUMENT,
         fmt::format("credential helper {}: its answer for {} is not an object", program, host));
  std::string username = stringField(reply, "Username"), secret = stringField(reply, "Secret");
  if (username.empty() && secret.empty()) return std::nullopt;
  if (username == kIdentityTokenUser) username.clear();
  return Credentials{std::move(username), std::move(secret)};
}

}  // namespace

std::optional<Credentials> dockerConfigCredentials(const std::string& host) {
  const fs::path file = configFile();
  if (file.empty()) return std::nullopt;
  const json config = readConfig(file);
  if (config.is_null()) return std::nullopt;

  std::string helper;
  if (const json* named = entryFor(config, "credHelpers", host); named && named->is_string())
    helper = named->get<std::string>();
  else if (auto store = config.find("credsStore"); store != config.end() && store->is_string())
    helper = store->get<std::string>();
  if (!helper.empty())
    if (std::optional<Credentials> found = helperCredentials(helper, host)) return found;

  const json* entry = entryFor(config, "auths", host);
  return entry ? authsEntry(*entry, file, host) : std::nullopt;
}

Credentials parseUserFlag(const std::string& value) {
  std::size_t colon = value.find(':');
  Credentials credentials{value.substr(0, colon), colon == std::string::npos ? "" : value.substr(colon + 1)};
  if (credentials.username.empty())
    fail(TENON_INVALID_ARGUMENT, "--user needs a user name: \"user\" or \"user:password\"");
  return credentials;
}

}  // namespace tenon::registry
