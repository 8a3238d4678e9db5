#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "oci/rootfs_file.hpp"
#include "oci/user_lookup.hpp"
#include "oci_fixture.hpp"

using namespace tenon;
using namespace tenon::oci;
using namespace tenon::oci::testing;

namespace {

const char* const kPasswd =
    "root:x:0:0:root:/root:/bin/sh\n"
    "# a comment, then a malformed line, both skipped\n"
    "broken:x:notanumber:1\n"
    "alice:x:1000:1000:Alice:/home/alice:/bin/sh\n"
    "bob:x:1001:100::/home/bob:/bin/sh\n";
const char* const kGroup =
    "root:x:0:\n"
    "wheel:x:10:alice\n"
    "staff:x:50:bob,alice\n"
    "users:x:100:bob\n"
    "alice:x:1000:alice\n";

struct AccountsRootfs : TempRootfs {
  AccountsRootfs() {
    write("etc/passwd", kPasswd);
    write("etc/group", kGroup);
  }
  User resolve(std::string_view user) const { return resolveUser(dir(), user); }
};

using Gids = std::vector<uint32_t>;

}  // namespace

TEST_SUITE("oci") {

TEST_CASE("a user given by name takes uid and gid from the image's /etc/passwd and groups from /etc/group") {
  AccountsRootfs rootfs;
  CHECK(rootfs.resolve("alice") == User{1000, 1000, Gids{1000, 10, 50}});
  CHECK(rootfs.resolve("bob") == User{1001, 100, Gids{100, 50}});
}

TEST_CASE("a numeric uid finds its account when the image lists it, and needs none otherwise") {
  AccountsRootfs rootfs;
  CHECK(rootfs.resolve("1000") == User{1000, 1000, Gids{1000, 10, 50}});
  CHECK(rootfs.resolve("4242") == User{4242, 0, Gids{0}});
  TempRootfs empty;  // no /etc at all: numeric users still work
  CHECK(resolveUser(empty.dir(), "4242:4343") == User{4242, 4343, Gids{4343}});
  CHECK(resolveUser(empty.dir(), "") == User{0, 0, Gids{0}});
}

TEST_CASE("no user means root") {
  AccountsRootfs rootfs;
  CHECK(rootfs.resolve("") == User{0, 0, Gids{0}});
}

TEST_CASE("an explicit group replaces the primary gid, by number or by name") {
  AccountsRootfs rootfs;
  CHECK(rootfs.resolve("alice:staff") == User{1000, 50, Gids{50, 10, 1000}});
  CHECK(rootfs.resolve("alice:77") == User{1000, 77, Gids{77, 10, 50, 1000}});
  CHECK(rootfs.resolve("1001:wheel") == User{1001, 10, Gids{10, 50, 100}});
  CHECK(rootfs.resolve("4242:4343") == User{4242, 4343, Gids{4343}});
}

TEST_CASE("an unknown user or group is not_found and named") {
  AccountsRootfs rootfs;
  CHECK(codeOf([&] { rootfs.resolve("mallory"); }) == TENON_NOT_FOUND);
  CHECK(messageOf([&] { rootfs.resolve("mallory"); }).find("user \"mallory\" not found") != std::string::npos);
  CHECK(messageOf([&] { rootfs.resolve("alice:nogroup"); }).find("group \"nogroup\" not found") != std::string::npos);
  TempRootfs empty;
  CHECK(messageOf([&] { resolveUser(empty.dir(), "alice"); }).find("the image has no /etc/passwd") !=
        std::string::npos);
}

TEST_CASE("ids outside 0..2^32-2 and malformed users are invalid_argument") {
  AccountsRootfs rootfs;
  for (const char* user : {"4294967296", "99999999999999999999999", "-1", "4294967295", "1000:4294967296",
                           "alice:-5", ":1000", "alice:", ":"}) {
    CAPTURE(user);
    CHECK(codeOf([&] { rootfs.resolve(user); }) == TENON_INVALID_ARGUMENT);
  }
  CHECK(messageOf([&] { rootfs.resolve("4294967296"); }).find("uid \"4294967296\"") != std::string::npos);
  CHECK(rootfs.resolve("4294967294").uid == 4294967294u);
  CHECK(rootfs.resolve("2147483648").uid == 2147483648u);
}

TEST_CASE("an /etc/passwd symlinked to a host path is resolved inside the rootfs, never on the host") {
  TempRootfs rootfs;
  TempRootfs host;  // stands for the host: a file outside the rootfs
  host.write("passwd", "intruder:x:4242:4242::/:/bin/sh\n");
  rootfs.symlink("etc/passwd", host.dir() + "/passwd");
  CHECK(codeOf([&] { resolveUser(rootfs.dir(), "intruder"); }) == TENON_NOT_FOUND);

  // The same absolute path inside the rootfs is the one read.
  rootfs.write(host.dir().substr(1) + "/passwd", "insider:x:77:78::/:/bin/sh\n");
  CHECK(resolveUser(rootfs.dir(), "insider") == User{77, 78, Gids{78}});
  CHECK(codeOf([&] { resolveUser(rootfs.dir(), "intruder"); }) == TENON_NOT_FOUND);
}

TEST_CASE("an /etc/passwd reaching the host's real /etc/passwd through '..' stays inside the rootfs") {
  REQUIRE(access("/etc/passwd", R_OK) == 0);  // on the host, the link below reaches a real file
  TempRootfs rootfs;
  rootfs.symlink("etc/passwd", "../../../../../../../../usr/../etc/passwd");
  UniqueFd root = openRootfs(rootfs.dir());
  CHECK_FALSE(readFileInRoot(root.get(), "etc/passwd").has_value());
  CHECK(messageOf([&] { resolveUser(rootfs.dir(), "root"); }).find("the image has no /etc/passwd") !=
        std::string::npos);
}

TEST_CASE("an /etc/passwd linked to /etc/passwd is a loop inside the rootfs, refused") {
  TempRootfs rootfs;
  rootfs.symlink("etc/passwd", "/etc/passwd");  // on the host, the host's file; inside the rootfs, itself
  CHECK(codeOf([&] { resolveUser(rootfs.dir(), "root"); }) == TENON_INVALID_ARGUMENT);
  CHECK(messageOf([&] { resolveUser(rootfs.dir(), "root"); }).find("symlink loop") != std::string::npos);
}

TEST_CASE("a FIFO, a directory or a device as /etc/passwd is refused without blocking") {
  TempRootfs rootfs;
  std::filesystem::create_directories(rootfs.path() / "etc");
  REQUIRE(::mkfifo((rootfs.path() / "etc/passwd").c_str(), 0644) == 0);
  CHECK(messageOf([&] { resolveUser(rootfs.dir(), "root"); }).find("not a regular file") != std::string::npos);

  TempRootfs dir;
  std::filesystem::create_directories(dir.path() / "etc/passwd");
  CHECK(codeOf([&] { resolveUser(dir.dir(), "root"); }) == TENON_INVALID_ARGUMENT);

  if (geteuid() != 0) return;  // mknod needs root
  TempRootfs device;
  std::filesystem::create_directories(device.path() / "etc");
  REQUIRE(::mknod((device.path() / "etc/group").c_str(), S_IFCHR | 0644, makedev(1, 5)) == 0);  // /dev/zero
  CHECK(codeOf([&] { resolveUser(device.dir(), "0"); }) == TENON_INVALID_ARGUMENT);
}

TEST_CASE("an account file past 1 MiB is refused, not read") {
  AccountsRootfs rootfs;
  std::string big(kPasswd);
  while (big.size() <= kMaxRootfsFileBytes) big += "filler:x:5000:5000::/:/bin/false\n";
  rootfs.write("etc/group", big);
  CHECK(codeOf([&] { rootfs.resolve("alice"); }) == TENON_RESOURCE_EXHAUSTED);
  CHECK(messageOf([&] { rootfs.resolve("alice"); }).find("etc/group") != std::string::npos);
  rootfs.write("etc/passwd", big);
  CHECK(codeOf([&] { rootfs.resolve("0"); }) == TENON_RESOURCE_EXHAUSTED);
}

TEST_CASE("a missing rootfs is not_found") {
  CHECK(codeOf([] { resolveUser(std::string("/nonexistent/tenon-rootfs"), "0"); }) == TENON_NOT_FOUND);
}

}  // TEST_SUITE
