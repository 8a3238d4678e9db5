// A generated spec handed to the real runc: the proof that buildSpec writes
// what a runtime accepts and runs, not only what our own tests expect.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "oci/spec_builder.hpp"
#include "oci_fixture.hpp"

using namespace tenon::oci;
using namespace tenon::oci::testing;
namespace fs = std::filesystem;

namespace {

constexpr const char* kNamespace = "tenon-oci-unit-test";

// runc removes the container's own cgroup; the /tenon/<ns> parents it made
// stay behind, in every hierarchy (cgroup v1 has one per controller).
struct CgroupParentsCleanup {
  ~CgroupParentsCleanup() {
    std::error_code ignored;
    std::vector<fs::path> bases{"/sys/fs/cgroup"};
    for (const auto& entry : fs::directory_iterator("/sys/fs/cgroup", ignored))
      if (entry.is_directory(ignored)) bases.push_back(entry.path());
    for (const fs::path& base : bases) {
      ::rmdir((base / "tenon" / kNamespace).c_str());
      ::rmdir((base / "tenon").c_str());  // only when empty: another user's cgroups stay
    }
  }
};

bool canRunRunc() {
  return geteuid() == 0 && std::system("command -v runc >/dev/null 2>&1") == 0 && access("/bin/busybox", X_OK) == 0;
}

// A bundle whose rootfs is busybox-static with `echo` and `sh` links to it.
void makeBundle(const TempRootfs& bundle, const nlohmann::json& spec) {
  fs::create_directories(bundle.path() / "rootfs/bin");
  fs::copy_file("/bin/busybox", bundle.path() / "rootfs/bin/busybox");
  fs::create_symlink("busybox", bundle.path() / "rootfs/bin/echo");
  fs::create_symlink("busybox", bundle.path() / "rootfs/bin/sh");
  bundle.write("config.json", spec.dump(2));
}

// Runs `command`; its stdout (stderr folded in) and its exit status.
std::pair<std::string, int> run(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen((command + " 2>&1 </dev/null").c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) output.append(buffer, n);
  int status = ::pclose(pipe);
  return {output, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

// What runc prints running `options` in a fresh busybox bundle, and its exit status.
std::pair<std::string, int> runInRunc(SpecOptions options) {
  CgroupParentsCleanup cleanup;
  TempRootfs bundle;
  options.ns = kNamespace;
  options.id = "runc-check-" + std::to_string(::getpid());
  makeBundle(bundle, buildSpec(ImageConfig{}, options, User{0, 0, {0}}));
  // --root: runc's state in the bundle, removed with it; `run` deletes the
  // container once its process exits.
  return run("runc --root " + bundle.dir() + "/state run --bundle " + bundle.dir() + " " + options.id);
}

}  // namespace

TEST_SUITE("oci") {

TEST_CASE("runc runs a container from a generated spec, limits included") {
  if (!canRunRunc()) {
    MESSAGE("skipped: needs root, runc and /bin/busybox (busybox-static)");
    return;
  }
  SpecOptions options;
  options.args = {"/bin/echo", "hi"};
  options.memoryLimit = 64 << 20;
  options.pidsLimit = 16;
  options.cpus = 0.5;
  auto [output, status] = runInRunc(options);
  CAPTURE(output);
  CHECK(status == 0);
  CHECK(output == "hi\n");
}

TEST_CASE("runc runs a privileged, host-network, read-only container from a generated spec") {
  if (!canRunRunc()) {
    MESSAGE("skipped: needs root, runc and /bin/busybox (busybox-static)");
    return;
  }
  SpecOptions options;
  options.args = {"/bin/sh", "-c", "{ echo hi > /x; } 2>/dev/null || echo read-only"};
  options.privileged = true;
  options.netHost = true;
  options.readOnly = true;
  options.cgroupNs = true;
  auto [output, status] = runInRunc(options);
  CAPTURE(output);
  CHECK(status == 0);
  CHECK(output == "read-only\n");
}

}  // TEST_SUITE
