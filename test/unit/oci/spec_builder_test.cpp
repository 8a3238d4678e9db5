#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "oci/spec_builder.hpp"
#include "oci/capabilities.hpp"
#include "oci/environment.hpp"
#include "oci/spec_defaults.hpp"
#include "oci_fixture.hpp"

using namespace tenon;
using namespace tenon::oci;
using namespace tenon::oci::testing;
using Json = nlohmann::json;

namespace {

SpecOptions options() {
  SpecOptions o;
  o.ns = "default";
  o.id = "web";
  return o;
}

ImageConfig image() {
  ImageConfig i;
  i.entrypoint = {"/entrypoint.sh"};
  i.cmd = {"serve", "--port", "80"};
  i.env = {"PATH=/opt/bin:/usr/bin", "LANG=C.UTF-8"};
  i.workingDir = "/srv";
  return i;
}

const User kRoot{0, 0, {0}};

Json build(const SpecOptions& o, const ImageConfig& i = image()) { return buildSpec(i, o, kRoot); }

std::vector<std::string> strings(const Json& array) { return array.get<std::vector<std::string>>(); }

template <std::size_t N>
std::vector<std::string> strings(const std::array<std::string_view, N>& list) {
  return {list.begin(), list.end()};
}

std::vector<std::string> namespaceTypes(const Json& spec) {
  std::vector<std::string> types;
  for (const Json& ns : spec["linux"]["namespaces"]) types.push_back(ns["type"]);
  return types;
}

const Json* mountAt(const Json& spec, const std::string& target) {
  for (const Json& m : spec["mounts"])
    if (m["destination"] == target) return &m;
  return nullptr;
}

// The effective capability set of this process as /proc reports it: what a
// privileged container may be granted.
uint64_t effectiveCapabilityBits() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.starts_with("CapEff:")) return std::stoull(line.substr(7), nullptr, 16);
  FAIL("no CapEff in /proc/self/status");
  return 0;
}

bool hasOption(const Json& mount, const std::string& option) {
  auto options = strings(mount["options"]);
  return std::find(options.begin(), options.end(), option) != options.end();
}

}  // namespace

TEST_SUITE("oci") {

TEST_CASE("the default spec has containerd's namespaces, capabilities, masks, mounts and limits") {
  Json spec = build(options());
  CHECK(spec["ociVersion"] == "1.1.0");
  CHECK(spec["root"] == Json{{"path", "rootfs"}, {"readonly", false}});
  CHECK(spec["hostname"] == "web");

  const Json& process = spec["process"];
  CHECK(process["terminal"] == false);
  CHECK(process["noNewPrivileges"] == true);
  CHECK(process["rlimits"] == Json::parse(R"([{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}])"));
  for (const char* set : {"bounding", "effective", "permitted"}) {
    CAPTURE(set);
    CHECK(strings(process["capabilities"][set]) == strings(kDefaultCapabilities));
  }
  CHECK(process["capabilities"]["inheritable"] == Json::array());
  CHECK(process["capabilities"]["ambient"] == Json::array());

  const Json& linux_ = spec["linux"];
  CHECK(namespaceTypes(spec) == std::vector<std::string>{"pid", "ipc", "uts", "mount", "network"});
  CHECK(strings(linux_["maskedPaths"]) == strings(kMaskedPaths));
  CHECK(strings(linux_["readonlyPaths"]) == strings(kReadonlyPaths));
  CHECK(linux_["cgroupsPath"] == "/tenon/default/web");
  CHECK(linux_["resources"].size() == 1);  // devices only: no limit unless asked
}

TEST_CASE("the default mounts are /proc, /dev, /dev/pts, /dev/shm, /dev/mqueue, a read-only /sys and cgroup") {
  Json spec = build(options());
  std::vector<std::string> targets;
  for (const Json& m : spec["mounts"]) targets.push_back(m["destination"]);
  CHECK(targets == std::vector<std::string>{"/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys",
                                            "/sys/fs/cgroup"});
  CHECK(*mountAt(spec, "/dev/pts") == Json::parse(R"({"destination": "/dev/pts", "type": "devpts",
        "source": "devpts", "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]})"));
  CHECK(strings((*mountAt(spec, "/dev"))["options"]) ==
        std::vector<std::string>{"nosuid", "strictatime", "mode=755", "size=65536k"});
  CHECK(hasOption(*mountAt(spec, "/sys"), "ro"));
  CHECK(hasOption(*mountAt(spec, "/sys/fs/cgroup"), "ro"));
  CHECK((*mountAt(spec, "/sys/fs/cgroup"))["type"] == "cgroup");
}

TEST_CASE("the default device cgroup denies all, then allows the standard character devices") {
  Json devices = build(options())["linux"]["resources"]["devices"];
  CHECK(devices[0] == Json{{"allow", false}, {"access", "rwm"}});
  CHECK(devices.size() == 1 + kDefaultDevices.size());
  CHECK(devices[1] == Json{{"allow", true}, {"type", "c"}, {"major", 1}, {"minor", 3}, {"access", "rwm"}});
  auto pts = std::find_if(devices.begin(), devices.end(), [](const Json& d) { return d.value("major", 0) == 136; });
  REQUIRE(pts != devices.end());
  CHECK_FALSE(pts->contains("minor"));  // every pty of the container's devpts
}

TEST_CASE("args are the entrypoint and the image's Cmd, or the user's args in place of Cmd") {
  CHECK(strings(build(options())["process"]["args"]) ==
        std::vector<std::string>{"/entrypoint.sh", "serve", "--port", "80"});
  SpecOptions o = options();
  o.args = {"debug"};
  CHECK(strings(build(o)["process"]["args"]) == std::vector<std::string>{"/entrypoint.sh", "debug"});
  o.entrypoint = std::vector<std::string>{"/bin/sh", "-c"};
  CHECK(strings(build(o)["process"]["args"]) == std::vector<std::string>{"/bin/sh", "-c", "debug"});
  o.args.clear();  // a user entrypoint drops the image's Cmd
  CHECK(strings(build(o)["process"]["args"]) == std::vector<std::string>{"/bin/sh", "-c"});
}

TEST_CASE("an image without a command and no args is refused") {
  CHECK(messageOf([] { build(options(), ImageConfig{}); }).find("no command") != std::string::npos);
  SpecOptions o = options();
  o.args = {"/bin/echo", std::string("a\0b", 3)};
  CHECK(codeOf([&] { build(o); }) == TENON_INVALID_ARGUMENT);
  o.args = {"/bin/echo", "\xff"};
  CHECK(messageOf([&] { build(o); }).find("not valid UTF-8") != std::string::npos);
}

TEST_CASE("env is the default PATH, then the image's, then the user's, replacing by key in place") {
  ImageConfig i = image();
  i.env = {"LANG=C.UTF-8"};
  CHECK(strings(build(options(), i)["process"]["env"]) ==
        std::vector<std::string>{std::string(kDefaultPath), "LANG=C.UTF-8"});

  SpecOptions o = options();
  o.env = {"LANG=fr_FR.UTF-8", "DEBUG=1", "PATH=/bin"};
  CHECK(strings(build(o)["process"]["env"]) ==
        std::vector<std::string>{"PATH=/bin", "LANG=fr_FR.UTF-8", "DEBUG=1"});
  o.env = {"EMPTY="};
  CHECK(strings(build(o)["process"]["env"]).back() == "EMPTY=");
}

TEST_CASE("a user env entry without '=' is refused and named") {
  SpecOptions o = options();
  o.env = {"GOOD=1", "HOME"};
  CHECK(codeOf([&] { build(o); }) == TENON_INVALID_ARGUMENT);
  CHECK(messageOf([&] { build(o); }).find("--env \"HOME\"") != std::string::npos);
}

TEST_CASE("a terminal sets terminal and TERM=xterm, unless TERM is given") {
  SpecOptions o = options();
  o.terminal = true;
  Json process = build(o)["process"];
  CHECK(process["terminal"] == true);
  CHECK(strings(process["env"])[1] == "TERM=xterm");
  o.env = {"TERM=vt100"};
  CHECK(strings(build(o)["process"]["env"])[1] == "TERM=vt100");
}

TEST_CASE("cwd is --cwd, else the image's WorkingDir, else /; relative or /proc ones are refused") {
  CHECK(build(options())["process"]["cwd"] == "/srv");
  CHECK(build(options(), ImageConfig{{}, {"sh"}, {}, "", "", "", {}})["process"]["cwd"] == "/");
  SpecOptions o = options();
  o.cwd = "/tmp";
  CHECK(build(o)["process"]["cwd"] == "/tmp");
  for (const char* bad : {"tmp", "", "/proc/self/fd/7", "/proc"}) {
    CAPTURE(bad);
    o.cwd = bad;
    CHECK(codeOf([&] { build(o); }) == TENON_INVALID_ARGUMENT);
  }
  ImageConfig relative = image();
  relative.workingDir = "srv";
  CHECK(messageOf([&] { build(options(), relative); }).find("image WorkingDir") != std::string::npos);
}

TEST_CASE("the resolved user is the process's uid, gid and additional gids") {
  Json user = buildSpec(image(), options(), User{1000, 50, {50, 10}})["process"]["user"];
  CHECK(user == Json{{"uid", 1000}, {"gid", 50}, {"additionalGids", {50, 10}}});
}

TEST_CASE("the requested user is --user, else the image's User") {
  ImageConfig i = image();
  i.user = "nginx";
  SpecOptions o = options();
  CHECK(requestedUser(i, o) == "nginx");
  o.user = "0:0";
  CHECK(requestedUser(i, o) == "0:0");
}

TEST_CASE("--net-host drops the network namespace and takes the host's hostname") {
  SpecOptions o = options();
  o.netHost = true;
  Json spec = build(o);
  CHECK(namespaceTypes(spec) == std::vector<std::string>{"pid", "ipc", "uts", "mount"});
  char host[256] = {};
  REQUIRE(gethostname(host, sizeof host - 1) == 0);
  CHECK(spec["hostname"] == host);
}

TEST_CASE("--netns joins the given network namespace; with --net-host or relative it is refused") {
  SpecOptions o = options();
  o.netnsPath = "/var/run/netns/blue";
  Json network = build(o)["linux"]["namespaces"][4];
  CHECK(network == Json{{"type", "network"}, {"path", "/var/run/netns/blue"}});
  o.netHost = true;
  CHECK(codeOf([&] { build(o); }) == TENON_INVALID_ARGUMENT);
  o.netHost = false;
  o.netnsPath = "netns/blue";
  CHECK(codeOf([&] { build(o); }) == TENON_INVALID_ARGUMENT);
}

TEST_CASE("a cgroup namespace is added on request") {
  SpecOptions o = options();
  o.cgroupNs = true;
  CHECK(namespaceTypes(build(o)).back() == "cgroup");
}

TEST_CASE("--privileged grants every capability we hold and every device, masks nothing and makes /sys writable") {
  SpecOptions o = options();
  o.privileged = true;
  Json spec = build(o);
  const Json& caps = spec["process"]["capabilities"];
  std::vector<std::string> held;
  uint64_t bits = effectiveCapabilityBits();
  for (std::size_t bit = 0; bit < kAllCapabilities.size(); ++bit)
    if (bits & (uint64_t{1} << bit)) held.emplace_back(kAllCapabilities[bit]);
  for (const char* set : {"bounding", "effective", "permitted"}) {
    CAPTURE(set);
    CHECK(strings(caps[set]) == held);
  }
  if ((bits & ((uint64_t{1} << kAllCapabilities.size()) - 1)) == (uint64_t{1} << kAllCapabilities.size()) - 1)
    CHECK(strings(caps["bounding"]) == strings(kAllCapabilities));  // a full root: every capability
  CHECK(caps["inheritable"] == Json::array());
  CHECK(caps["ambient"] == Json::array());
  CHECK(spec["process"]["noNewPrivileges"] == false);
  CHECK(spec["linux"]["maskedPaths"] == Json::array());
  CHECK(spec["linux"]["readonlyPaths"] == Json::array());
  CHECK(spec["linux"]["resources"]["devices"] == Json::parse(R"([{"allow": true, "access": "rwm"}])"));
  CHECK(hasOption(*mountAt(spec, "/sys"), "rw"));
  CHECK_FALSE(hasOption(*mountAt(spec, "/sys"), "ro"));
}

TEST_CASE("memory, cpus and pids limits land in linux.resources") {
  SpecOptions o = options();
  o.memoryLimit = 256 << 20;
  o.cpus = 1.5;
  o.pidsLimit = 64;
  Json resources = build(o)["linux"]["resources"];
  CHECK(resources["memory"] == Json{{"limit", 256 << 20}});
  CHECK(resources["cpu"] == Json{{"quota", 150000}, {"period", 100000}});
  CHECK(resources["pids"] == Json{{"limit", 64}});
}

TEST_CASE("limits that are not positive, or cpus out of range, are refused naming the flag") {
  auto refused = [](auto set, const char* flag) {
    SpecOptions o = options();
    set(o);
    CHECK(messageOf([&] { build(o); }).find(flag) != std::string::npos);
  };
  refused([](SpecOptions& o) { o.memoryLimit = 0; }, "--memory-limit");
  refused([](SpecOptions& o) { o.memoryLimit = -1; }, "--memory-limit");
  refused([](SpecOptions& o) { o.pidsLimit = 0; }, "--pids-limit");
  refused([](SpecOptions& o) { o.cpus = 0; }, "--cpus");
  refused([](SpecOptions& o) { o.cpus = 0.001; }, "--cpus");
  refused([](SpecOptions& o) { o.cpus = std::numeric_limits<double>::quiet_NaN(); }, "--cpus");
  refused([](SpecOptions& o) { o.cpus = 1e300; }, "--cpus");
}

TEST_CASE("--read-only makes the root filesystem read-only") {
  SpecOptions o = options();
  o.readOnly = true;
  CHECK(build(o)["root"]["readonly"] == true);
}

TEST_CASE("user mounts follow the defaults and replace one at the same target") {
  SpecOptions o = options();
  o.mounts = {parseMountFlag("type=bind,src=/srv/data,dst=/data,options=rbind:ro"),
              parseMountFlag("type=tmpfs,src=shm,dst=/dev/shm,options=size=1g")};
  Json spec = build(o);
  CHECK(spec["mounts"].size() == 8);
  CHECK(spec["mounts"][6]["destination"] == "/data");
  CHECK(spec["mounts"][7] == Json::parse(R"({"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
        "options": ["size=1g"]})"));
}

TEST_CASE("--hostname sets the hostname; a long container id is cut to 64 bytes") {
  SpecOptions o = options();
  o.hostname = "box";
  CHECK(build(o)["hostname"] == "box");
  o.hostname = std::string(65, 'h');
  CHECK(codeOf([&] { build(o); }) == TENON_INVALID_ARGUMENT);
  o.hostname.reset();
  o.id = std::string(76, 'a');
  CHECK(build(o)["hostname"] == std::string(64, 'a'));
}

TEST_CASE("a namespace or id that would move the cgroup path is refused") {
  for (const char* bad : {"", "..", "a/b"}) {
    CAPTURE(bad);
    SpecOptions o = options();
    o.id = bad;
    CHECK(codeOf([&] { build(o); }) == TENON_INVALID_ARGUMENT);
    o = options();
    o.ns = bad;
    CHECK(codeOf([&] { build(o); }) == TENON_INVALID_ARGUMENT);
  }
}

TEST_CASE("processSpec alone is the process of the whole spec, for exec") {
  SpecOptions o = options();
  o.args = {"ls"};
  User user{5, 6, {6}};
  CHECK(processSpec(image(), o, user) == buildSpec(image(), o, user)["process"]);
}

}  // TEST_SUITE
