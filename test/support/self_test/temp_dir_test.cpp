#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>

#include "temp_dir.hpp"

using namespace tenon::test;

TEST_CASE("a TempDir is a private dir under /tmp, removed with its content") {
  std::filesystem::path kept;
  {
    TempDir dir("tenon-self-test");
    kept = dir.path();
    CHECK(kept.string().starts_with("/tmp/tenon-self-test-"));
    struct stat st{};
    REQUIRE(::stat(kept.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0700);
    std::filesystem::create_directories(kept / "a/b");
    writeFile(kept / "a/b/file", "x");
    CHECK(readFile(kept / "a/b/file") == "x");
  }
  CHECK_FALSE(std::filesystem::exists(kept));
}
