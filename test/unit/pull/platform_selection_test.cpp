#include <doctest/doctest.h>

#include <tenon/error.hpp>

#include "images/media_types.hpp"
#include "images/platform.hpp"
#include "pull/platform_selection.hpp"

using namespace tenon;
using tenon::pull::PlatformSelection;

namespace {

images::ManifestEntry manifest(const std::string& digest, std::optional<images::Platform> platform) {
  return {{std::string(images::media_types::kOciManifest), digest, 100, {}}, std::move(platform)};
}

images::IndexDocument index(std::vector<images::ManifestEntry> entries) { return {std::move(entries)}; }

std::vector<std::string> digests(const std::vector<images::ManifestEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.descriptor.digest);
  return out;
}

images::Platform host() { return images::hostPlatform(); }
images::Platform other() {
  return host().architecture == "arm64" ? images::Platform{"linux", "amd64", ""} : images::Platform{"linux", "arm64", ""};
}

}  // namespace

TEST_CASE("by default the host's first manifest is chosen, loosely, and nothing else") {
  images::Platform withVariant = host();
  withVariant.variant = "v9";  // loose: a variant counts only when both name one
  PlatformSelection selection({}, false);
  auto chosen = selection.choose(index({manifest("a", other()), manifest("b", withVariant), manifest("c", host())}));
  CHECK(digests(chosen) == std::vector<std::string>{"b"});
  CHECK_NOTHROW(selection.checkFound("r"));
}

TEST_CASE("explicit platforms are matched strictly, one manifest each") {
  PlatformSelection selection({"linux/arm/v7", "linux/arm64"}, false);
  auto chosen = selection.choose(index({manifest("v6", images::Platform{"linux", "arm", "v6"}),
                                        manifest("v7", images::Platform{"linux", "arm", "v7"}),
                                        manifest("arm64", images::Platform{"linux", "aarch64", ""}),
                                        manifest("arm64-again", images::Platform{"linux", "arm64", ""})}));
  CHECK(digests(chosen) == std::vector<std::string>{"v7", "arm64"});
}

TEST_CASE("all platforms takes every entry, and a missing host platform is no error then") {
  PlatformSelection selection({}, true);
  auto chosen = selection.choose(index({manifest("a", other()), manifest("b", images::Platform{"windows", "amd64", ""})}));
  CHECK(digests(chosen) == std::vector<std::string>{"a", "b"});
  CHECK_NOTHROW(selection.checkFound("r"));
}

TEST_CASE("a platform no index offers is not_found, listing what the index has") {
  PlatformSelection selection({"linux/s390x"}, false);
  selection.choose(index({manifest("a", images::Platform{"linux", "arm64", ""}),
                          manifest("b", images::Platform{"linux", "arm", "v7"}),
                          manifest("c", images::Platform{"linux", "arm64", ""})}));
  try {
    selection.checkFound("docker.io/library/busybox:latest");
    FAIL("checkFound accepted a missing platform");
  } catch (const Error& e) {
    CHECK(e.code() == TENON_NOT_FOUND);
    CHECK(std::string(e.what()) ==
          "docker.io/library/busybox:latest: no manifest for linux/s390x (the index has: linux/arm64, linux/arm/v7)");
  }
}

TEST_CASE("nested indexes are walked, and entries without a platform are taken") {
  PlatformSelection selection({"linux/arm64"}, false);
  images::ManifestEntry nested{{std::string(images::media_types::kOciIndex), "nested", 100, {}}, std::nullopt};
  auto top = selection.choose(index({nested, manifest("amd", images::Platform{"linux", "amd64", ""})}));
  CHECK(digests(top) == std::vector<std::string>{"nested"});
  CHECK_THROWS_AS(selection.checkFound("r"), Error);  // an index is not a manifest: not found yet
  auto inner = selection.choose(index({manifest("arm", images::Platform{"linux", "arm64", ""})}));
  CHECK(digests(inner) == std::vector<std::string>{"arm"});
  CHECK_NOTHROW(selection.checkFound("r"));
}

TEST_CASE("a malformed platform is refused up front") {
  CHECK_THROWS_WITH_AS(PlatformSelection({"linux"}, false), doctest::Contains("is not os/architecture[/variant]"),
                       Error);
}
