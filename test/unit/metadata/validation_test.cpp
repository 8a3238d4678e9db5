#include "metadata/validation.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "metadata/record_keys.hpp"
#include "store_fixture.hpp"

using namespace tenon;
using namespace tenon::metadata;
using tenon::metadata::testing::codeOf;
using tenon::metadata::testing::messageOf;

TEST_CASE("image names: references pass, climbing segments and control characters do not") {
  for (const std::string& good :
       std::vector<std::string>{"docker.io/library/busybox:latest", "busybox", "a..b", "x/..y/z",
                                "reg:5000/a@sha256:00", std::string(4096, 'n'), std::string("caf\xc3\xa9")}) {
    CAPTURE(good);
    CHECK(codeOf([&] { validateImageName(good); }) == TENON_OK);
  }
  for (const std::string& bad : std::vector<std::string>{
           std::string(), std::string(".."), std::string("../etc"), std::string("a/../b"), std::string("a/.."),
           std::string("a b"), std::string("a\tb"), std::string("a\nb"), std::string("a\x7f"), std::string("a\0b", 3),
           std::string(4097, 'n'), std::string("bad\xff"), std::string("\xc0\xaf")}) {
    CAPTURE(bad);
    CHECK(codeOf([&] { validateImageName(bad); }) == TENON_INVALID_ARGUMENT);
  }
}

TEST_CASE("an invalid value is named in the message, escaped and cut short") {
  std::string message = messageOf([] { validateImageName("evil/../name"); });
  CHECK(message.find("\"evil/../name\"") != std::string::npos);
  CHECK(message.find("..") != std::string::npos);
  CHECK(messageOf([] { validateImageName("a\nb"); }).find("\"a\\x0ab\"") != std::string::npos);
  std::string longMessage = messageOf([] { validateImageName(std::string(5000, 'n')); });
  CHECK(longMessage.size() < 400);
  CHECK(longMessage.find("5000 bytes") != std::string::npos);
}

TEST_CASE("namespaces follow the RPC edge's rule") {
  for (const std::string& good : std::vector<std::string>{"default", "a", "team-a.prod_1", std::string(76, 'a')}) {
    CAPTURE(good);
    CHECK(codeOf([&] { validateNamespace(good); }) == TENON_OK);
  }
  for (const std::string& bad : std::vector<std::string>{"", "..", "Upper", "-lead", "trail-", "a/b", "a b",
                                                         std::string("a\0b", 3), std::string(77, 'a')}) {
    CAPTURE(bad);
    CHECK(codeOf([&] { validateNamespace(bad); }) == TENON_INVALID_ARGUMENT);
  }
}

TEST_CASE("identifiers: container and lease ids, plugin names") {
  for (const std::string& good :
       std::vector<std::string>{"c1", "My_Container.2-x", "io.containerd.runc.v2", std::string(76, 'Z')}) {
    CAPTURE(good);
    CHECK(codeOf([&] { validateIdentifier("container id", good); }) == TENON_OK);
  }
  for (const std::string& bad :
       std::vector<std::string>{"", "_lead", ".hidden", "..", "a/b", "a b", "a:b", std::string(77, 'a')}) {
    CAPTURE(bad);
    CHECK(codeOf([&] { validateIdentifier("container id", bad); }) == TENON_INVALID_ARGUMENT);
  }
  CHECK(messageOf([] { validateIdentifier("lease id", "a/b"); }).find("lease id \"a/b\"") != std::string::npos);
}

TEST_CASE("digests are sha256 with 64 lower-case hex digits") {
  CHECK(codeOf([] { validateDigest("sha256:" + std::string(64, 'f')); }) == TENON_OK);
  for (const std::string& bad :
       std::vector<std::string>{"", "sha256:", "sha256:" + std::string(63, 'a'), "sha256:" + std::string(65, 'a'),
                                "sha256:" + std::string(64, 'A'), "sha512:" + std::string(64, 'a'),
                                "sha256:" + std::string(63, 'a') + "/"}) {
    CAPTURE(bad);
    CHECK(codeOf([&] { validateDigest(bad); }) == TENON_INVALID_ARGUMENT);
  }
}

TEST_CASE("keys are 1..4096 bytes of UTF-8 without NUL") {
  CHECK(codeOf([] { validateKey("snapshot key", "extract-1 sha256:ab/c d"); }) == TENON_OK);
  CHECK(codeOf([] { validateKey("snapshot key", std::string(4096, 'k')); }) == TENON_OK);
  for (const std::string& bad : std::vector<std::string>{std::string(), std::string(4097, 'k'), std::string("a\0b", 3),
                                                         std::string("\xed\xa0\x80")}) {
    CHECK(codeOf([&] { validateKey("snapshot key", bad); }) == TENON_INVALID_ARGUMENT);
  }
}

TEST_CASE("labels: non-empty keys, UTF-8, at most 4096 bytes a pair") {
  CHECK(codeOf([] { validateLabels("label", {{"tenon.io/gc.ref.content.0", "sha256:x"}}); }) == TENON_OK);
  CHECK(codeOf([] { validateLabels("label", {{"", "v"}}); }) == TENON_INVALID_ARGUMENT);
  CHECK(codeOf([] { validateLabels("label", {{"k", "\xff"}}); }) == TENON_INVALID_ARGUMENT);
  CHECK(codeOf([] { validateLabels("label", {{"k", std::string(4095, 'v')}}); }) == TENON_OK);
  CHECK(codeOf([] { validateLabels("label", {{"k", std::string(4096, 'v')}}); }) == TENON_INVALID_ARGUMENT);
}

TEST_CASE("JSON text: empty or one document") {
  CHECK(codeOf([] { validateJsonText("OCI spec", ""); }) == TENON_OK);
  CHECK(codeOf([] { validateJsonText("OCI spec", R"({"ociVersion":"1.1.0"})"); }) == TENON_OK);
  CHECK(codeOf([] { validateJsonText("OCI spec", "{"); }) == TENON_INVALID_ARGUMENT);
}

TEST_CASE("long record keys fold into LMDB's limit and stay distinct") {
  std::string common(4000, 'n');
  std::string a = recordKey({"ns", common + "a"});
  std::string b = recordKey({"ns", common + "b"});
  CHECK(a.size() == 511);
  CHECK(b.size() == 511);
  CHECK(a != b);
  CHECK(a.starts_with(std::string("ns\0", 3) + "nnn"));
  CHECK(recordKey({"ns", "short"}) == std::string("ns\0short", 8));
  // A folded key can never equal a short key: it holds one more NUL.
  std::set<std::string> keys{a, b, recordKey({"ns", common.substr(0, 400)}), recordKey({"ns", common})};
  CHECK(keys.size() == 4);
  CHECK(std::string_view(a).find('\0', 3) == kKeyFoldAt);
}
