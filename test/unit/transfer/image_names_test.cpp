#include <doctest/doctest.h>

#include <tenon/error.hpp>

#include "transfer/archive_reader.hpp"
#include "transfer/image_names.hpp"

using namespace tenon;
using namespace tenon::transfer;

TEST_CASE("docker references are normalised as Docker does") {
  CHECK(normalizeDockerReference("busybox") == "docker.io/library/busybox:latest");
  CHECK(normalizeDockerReference("busybox:1.36") == "docker.io/library/busybox:1.36");
  CHECK(normalizeDockerReference("user/app:1") == "docker.io/user/app:1");
  CHECK(normalizeDockerReference("quay.io/x/y") == "quay.io/x/y:latest");
  CHECK(normalizeDockerReference("localhost/app") == "localhost/app:latest");
  CHECK(normalizeDockerReference("registry:5000/app:2") == "registry:5000/app:2");
  CHECK(normalizeDockerReference("index.docker.io/library/busybox:1") == "docker.io/library/busybox:1");
  CHECK(normalizeDockerReference("docker.io/library/busybox:latest") == "docker.io/library/busybox:latest");
}

TEST_CASE("ref.name is a tag unless it has a repository") {
  CHECK_FALSE(isFullReference("latest"));
  CHECK(isFullReference("docker.io/library/busybox:latest"));
  CHECK(refNameOf("docker.io/library/busybox:latest") == "latest");
  CHECK(refNameOf("registry:5000/app") == "registry:5000/app");
  CHECK(refNameOf("example.com/app@sha256:abc") == "example.com/app@sha256:abc");
}

TEST_CASE("archive entry names are normalised, and climbing or absolute ones refused") {
  CHECK(normalizeEntryPath("./blobs//sha256/./x") == "blobs/sha256/x");
  CHECK(normalizeEntryPath("index.json") == "index.json");
  CHECK(normalizeEntryPath("./") == "");
  CHECK_THROWS_AS(normalizeEntryPath("../x"), Error);
  CHECK_THROWS_AS(normalizeEntryPath("blobs/../../x"), Error);
  CHECK_THROWS_AS(normalizeEntryPath("/etc/passwd"), Error);
}
