#include "registry/reference.hpp"

#include <doctest/doctest.h>

#include <tenon/error.hpp>

#include <string>

using namespace tenon;
using namespace tenon::registry;

namespace {

const std::string kHex(64, 'a');
const std::string kDigest = "sha256:" + kHex;

// The message parseReference throws for `text`, or "" when it accepts it.
std::string errorOf(std::string_view text) {
  try {
    (void)parseReference(text);
  } catch (const Error& e) {
    CHECK(e.code() == TENON_INVALID_ARGUMENT);
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("registry references are normalised as Docker does") {
  struct Case {
    std::string in, domain, path, tag, digest, text;
  };
  const Case cases[] = {
      {"busybox", "docker.io", "library/busybox", "latest", "", "docker.io/library/busybox:latest"},
      {"busybox:1.36", "docker.io", "library/busybox", "1.36", "", "docker.io/library/busybox:1.36"},
      {"user/app", "docker.io", "user/app", "latest", "", "docker.io/user/app:latest"},
      {"index.docker.io/x", "docker.io", "library/x", "latest", "", "docker.io/library/x:latest"},
      {"docker.io/library/busybox:latest", "docker.io", "library/busybox", "latest", "",
       "docker.io/library/busybox:latest"},
      {"quay.io/a/b/c", "quay.io", "a/b/c", "latest", "", "quay.io/a/b/c:latest"},
      {"localhost/app", "localhost", "app", "latest", "", "localhost/app:latest"},
      {"localhost:5000/app:v1", "localhost:5000", "app", "v1", "", "localhost:5000/app:v1"},
      {"127.0.0.1:5000/a/b", "127.0.0.1:5000", "a/b", "latest", "", "127.0.0.1:5000/a/b:latest"},
      {"[::1]:5000/app", "[::1]:5000", "app", "latest", "", "[::1]:5000/app:latest"},
      {"[fe80::1]/app:1", "[fe80::1]", "app", "1", "", "[fe80::1]/app:1"},
      {"Registry.Example/app", "Registry.Example", "app", "latest", "", "Registry.Example/app:latest"},
      {"app@" + kDigest, "docker.io", "library/app", "", kDigest, "docker.io/library/app@" + kDigest},
      {"host/x:1@" + kDigest, "docker.io", "host/x", "1", kDigest, "docker.io/host/x:1@" + kDigest},
      {"reg.io/x:1@" + kDigest, "reg.io", "x", "1", kDigest, "reg.io/x:1@" + kDigest},
      {"user/a.b_c__d-e---f", "docker.io", "user/a.b_c__d-e---f", "latest", "", "docker.io/user/a.b_c__d-e---f:latest"},
      {"app:_Tag.with-Dots", "docker.io", "library/app", "_Tag.with-Dots", "", "docker.io/library/app:_Tag.with-Dots"},
      {"app:" + std::string(128, 't'), "docker.io", "library/app", std::string(128, 't'), "",
       "docker.io/library/app:" + std::string(128, 't')},
  };
  for (const Case& c : cases) {
    CAPTURE(c.in);
    Reference ref = parseReference(c.in);
    CHECK(ref.domain == c.domain);
    CHECK(ref.path == c.path);
    CHECK(ref.tag == c.tag);
    CHECK(ref.digest == c.digest);
    CHECK(ref.text() == c.text);
    CHECK(parseReference(ref.text()).text() == ref.text());  // normalising twice changes nothing
  }
}

TEST_CASE("registry reference parts: repository and the object a registry is asked for") {
  Reference tagged = parseReference("quay.io/x/y:2");
  CHECK(tagged.repository() == "quay.io/x/y");
  CHECK(tagged.object() == "2");
  Reference pinned = parseReference("quay.io/x/y:2@" + kDigest);
  CHECK(pinned.object() == kDigest);
}

TEST_CASE("registry references that are not references are refused, saying why") {
  struct Case {
    std::string in, why;
  };
  const Case cases[] = {
      {"", "empty"},
      {":tag", "repository name is empty"},
      {"Busybox", "must be lowercase"},
      {"docker.io/Library/busybox", "must be lowercase"},
      {"app:", "tag after ':' is empty"},
      {"app:-dash", "bad tag"},
      {"app:a/b", "bad port"},  // a colon before a slash makes "app:a" a domain
      {"app:" + std::string(129, 't'), "longer than 128"},
      {"app:t@t", "bad digest"},
      {"app@sha256:abc", "bad digest"},
      {"app@sha512:" + kHex, "bad digest"},
      {"app@sha256:" + std::string(64, 'A'), "bad digest"},
      {"reg.io/", "empty path component"},
      {"reg.io//x", "empty path component"},
      {"user/app/", "empty path component"},
      {"-app", "bad path component"},
      {"app-", "bad path component"},
      {"a..b", "bad path component"},
      {"a___b", "bad path component"},
      {"a b", "bad path component"},
      {"reg.io:0/app", "bad port"},
      {"reg.io:70000/app", "bad port"},
      {"reg.io:x/app", "bad port"},
      {"-reg.io/app", "bad domain"},
      {"reg..io/app", "bad domain"},
      {"a_b.c/x", "bad domain"},  // the '.' makes it a domain, where '_' is not allowed
      {"[::1/app", "no closing ']'"},
      {"[::zz]/app", "not an IPv6 address"},
      {kHex, "image ID"},
      {"reg.io/" + std::string(250, 'a'), "longer than 255"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.in);
    std::string message = errorOf(c.in);
    CHECK(message.find(c.why) != std::string::npos);
  }
  CHECK(errorOf("Busybox") == "invalid reference \"Busybox\": repository name \"Busybox\" must be lowercase");
  CHECK(errorOf("app:-x") ==
        "invalid reference \"app:-x\": bad tag \"-x\" (want [A-Za-z0-9_] then [A-Za-z0-9_.-])");
}

TEST_CASE("registry reference errors quote a hostile input escaped and cut short") {
  std::string message = errorOf("a\nb");
  CHECK(message.find("\"a\\nb\"") != std::string::npos);
  std::string huge(100000, 'a');
  huge += "A";
  message = errorOf(huge);
  CHECK(message.find("longer than 255") != std::string::npos);
  CHECK(message.size() < 500);
}

TEST_CASE("registry loopback domains are localhost, 127/8 and ::1, with any port") {
  for (const char* yes : {"localhost", "localhost:5000", "127.0.0.1", "127.1.2.3:443", "[::1]", "[::1]:5000", "::1"}) {
    CAPTURE(yes);
    CHECK(isLoopback(yes));
  }
  for (const char* no : {"docker.io", "10.0.0.1:5000", "128.0.0.1", "[::2]:5000", "localhost.example", "[fe80::1]"}) {
    CAPTURE(no);
    CHECK_FALSE(isLoopback(no));
  }
}
