#include "registry/credentials.hpp"

#include <doctest/doctest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <tenon/error.hpp>

#include <optional>
#include <string>

#include "temp_dir.hpp"

using namespace tenon;
using namespace tenon::registry;
using tenon::test::TempDir;
using tenon::test::writeFile;

namespace {

// Sets an environment variable for one test and puts the old value back.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = ::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// docker-credential-test: answers by the server URL it reads on stdin, as
// docker-credential-helpers do, and records what it was asked.
constexpr const char* kHelperScript = R"(#!/bin/sh
[ "$1" = get ] || exit 2
read -r server
printf '%s\n' "$server" >> "$(dirname "$0")/asked"
case "$server" in
  helper.example) printf '{"ServerURL":"%s","Username":"hu","Secret":"hs"}\n' "$server" ;;
  https://index.docker.io/v1/) printf '{"ServerURL":"%s","Username":"<token>","Secret":"tok"}\n' "$server" ;;
  broken.example) echo "helper exploded"; exit 3 ;;
  garbled.example) echo "not json" ;;
  *) echo "credentials not found in native keychain"; exit 1 ;;
esac
)";

constexpr const char* kConfig = R"({
  "auths": {
    "https://index.docker.io/v1/": {"auth": "aHVidXNlcjpodWJwYXNz"},
    "registry.example:5000": {"auth": "YWxpY2U6cGE6c3M="},
    "https://token.example/v1/": {"identitytoken": "refresh-123", "auth": "aHVidXNlcjpodWJwYXNz"},
    "plain.example": {"username": "bob", "password": "pw"},
    "empty.example": {},
    "helper.example": {"auth": "aHVidXNlcjpodWJwYXNz"},
    "notbase64.example": {"auth": "!!!"},
    "nocolon.example": {"auth": "bm9jb2xvbg=="}
  },
  "credHelpers": {
    "helper.example": "test",
    "https://missing.example": "test",
    "broken.example": "test",
    "garbled.example": "test",
    "absent.example": "no-such-helper-here",
    "sneaky.example": "../../bin/sh"
  }
})";

// A DOCKER_CONFIG with `config` and docker-credential-test first on PATH.
struct DockerConfigFixture {
  TempDir dir{"tenon-docker-config"};
  std::optional<ScopedEnv> config, path;

  explicit DockerConfigFixture(const std::string& configJson) {
    writeFile(dir.path() / "config.json", configJson);
    writeFile(dir.path() / "docker-credential-test", kHelperScript);
    ::chmod((dir / "docker-credential-test").c_str(), 0755);
    config.emplace("DOCKER_CONFIG", dir.path().string());
    const char* oldPath = ::getenv("PATH");
    path.emplace("PATH", dir.path().string() + ":" + (oldPath ? oldPath : "/usr/bin:/bin"));
  }
  std::string asked() const { return tenon::test::readFile(dir.path() / "asked"); }
};

std::string errorOf(const std::string& host) {
  try {
    (void)dockerConfigCredentials(host);
  } catch (const Error& e) {
    CHECK(e.code() == TENON_INVALID_ARGUMENT);
    return e.what();
  }
  return "";
}

void checkCredentials(const std::optional<Credentials>& got, const std::string& user, const std::string& secret) {
  REQUIRE(got.has_value());
  CHECK(got->username == user);
  CHECK(got->secret == secret);
}

}  // namespace

TEST_CASE("registry credentials from config.json auths") {
  DockerConfigFixture fixture(kConfig);
  checkCredentials(dockerConfigCredentials("registry.example:5000"), "alice", "pa:ss");
  checkCredentials(dockerConfigCredentials("plain.example"), "bob", "pw");
  checkCredentials(dockerConfigCredentials("token.example"), "", "refresh-123");  // identity token wins
  // Docker Hub's hosts all find the index URL's entry.
  for (const char* hub : {"docker.io", "registry-1.docker.io", "index.docker.io"}) {
    CAPTURE(hub);
    checkCredentials(dockerConfigCredentials(hub), "hubuser", "hubpass");
  }
  CHECK_FALSE(dockerConfigCredentials("empty.example"));
  CHECK_FALSE(dockerConfigCredentials("registry.example"));  // another port is another host
  CHECK_FALSE(dockerConfigCredentials("nowhere.example"));
  CHECK(errorOf("notbase64.example").find("auths entry for notbase64.example") != std::string::npos);
  CHECK(errorOf("nocolon.example").find("not base64 of \"user:password\"") != std::string::npos);
  CHECK(fixture.asked().empty());  // no helper is run for hosts that have none
}

TEST_CASE("registry credentials from a credential helper, its server URL on stdin") {
  DockerConfigFixture fixture(kConfig);
  checkCredentials(dockerConfigCredentials("helper.example"), "hu", "hs");  // the helper wins over auths
  CHECK_FALSE(dockerConfigCredentials("missing.example"));                  // "credentials not found"
  CHECK(fixture.asked() == "helper.example\nmissing.example\n");

  std::string broken = errorOf("broken.example");
  CHECK(broken.find("docker-credential-test failed for broken.example (exit status 3): helper exploded") !=
        std::string::npos);
  CHECK(errorOf("garbled.example").find("is not JSON") != std::string::npos);
  CHECK(errorOf("absent.example").find("docker-credential-no-such-helper-here: not found on PATH") !=
        std::string::npos);
  CHECK(errorOf("sneaky.example").find("has a '/'") != std::string::npos);
}

TEST_CASE("registry credentials from credsStore, Docker Hub asked by its index URL") {
  DockerConfigFixture fixture(
      R"({"credsStore": "test", "auths": {"plain.example": {"username": "bob", "password": "pw"}}})");
  checkCredentials(dockerConfigCredentials("docker.io"), "", "tok");  // "<token>": an identity token
  checkCredentials(dockerConfigCredentials("plain.example"), "bob", "pw");  // the store had none
  CHECK(fixture.asked() == "https://index.docker.io/v1/\nplain.example\n");
}

TEST_CASE("registry credentials: no config is anonymous, a malformed one names the file") {
  TempDir dir("tenon-docker-config");
  ScopedEnv config("DOCKER_CONFIG", dir.path().string());
  CHECK_FALSE(dockerConfigCredentials("docker.io"));
  writeFile(dir.path() / "config.json", "{\"auths\": ");
  CHECK(errorOf("docker.io").rfind(dir / "config.json" + ": malformed JSON", 0) == 0);
  writeFile(dir.path() / "config.json", "[]");
  CHECK(errorOf("docker.io").find("not a JSON object") != std::string::npos);
}

TEST_CASE("registry --user flag: user and password split at the first colon") {
  Credentials both = parseUserFlag("alice:pa:ss");
  CHECK(both.username == "alice");
  CHECK(both.secret == "pa:ss");
  Credentials userOnly = parseUserFlag("alice");
  CHECK(userOnly.username == "alice");
  CHECK(userOnly.secret.empty());
  CHECK_THROWS_AS(parseUserFlag(""), Error);
  CHECK_THROWS_AS(parseUserFlag(":secret"), Error);
}
