#include <doctest/doctest.h>

#include "oci/mount_flag.hpp"
#include "oci_fixture.hpp"

using namespace tenon;
using namespace tenon::oci;
using namespace tenon::oci::testing;

TEST_SUITE("oci") {

TEST_CASE("a --mount in containerd's syntax becomes a Mount") {
  CHECK(parseMountFlag("type=bind,src=/a,dst=/b,options=rbind:ro") == Mount{"bind", "/a", "/b", {"rbind", "ro"}});
  CHECK(parseMountFlag("type=tmpfs,source=tmpfs,destination=/scratch,options=size=1m") ==
        Mount{"tmpfs", "tmpfs", "/scratch", {"size=1m"}});
  CHECK(parseMountFlag("type=tmpfs,target=/t") == Mount{"tmpfs", "", "/t", {}});
}

TEST_CASE("a bind --mount without a bind option gets rbind, which runc needs to see a bind mount") {
  CHECK(parseMountFlag("type=bind,src=/a,dst=/b,options=ro").options == std::vector<std::string>{"ro", "rbind"});
  CHECK(parseMountFlag("type=bind,src=/a,dst=/b,options=bind").options == std::vector<std::string>{"bind"});
}

TEST_CASE("a malformed --mount is refused quoting the flag and the fault") {
  auto fault = [](const char* text) {
    std::string message = messageOf([&] { parseMountFlag(text); });
    CHECK(codeOf([&] { parseMountFlag(text); }) == TENON_INVALID_ARGUMENT);
    CHECK(message.find(std::string("--mount \"") + text) != std::string::npos);
    return message;
  };
  CHECK(fault("type=bind,/a,dst=/b").find("\"/a\" is not key=value") != std::string::npos);
  CHECK(fault("type=bind,src=/a,dst=/b,mode=ro").find("unknown key \"mode\"") != std::string::npos);
  CHECK(fault("type=bind,src=/a,src=/c,dst=/b").find("source is given twice") != std::string::npos);
  CHECK(fault("src=/a,dst=/b").find("type is missing") != std::string::npos);
  CHECK(fault("type=bind,src=/a").find("destination \"\" is not an absolute path") != std::string::npos);
  CHECK(fault("type=bind,src=a,dst=/b").find("source \"a\" is not an absolute path") != std::string::npos);
  CHECK(fault("type=bind,src=/a,dst=b").find("destination \"b\"") != std::string::npos);
  CHECK(fault("type=bind,src=/a,dst=/b,options=ro::nosuid").find("an option is empty") != std::string::npos);
  CHECK(fault("").find("is not key=value") != std::string::npos);
}

}  // TEST_SUITE
