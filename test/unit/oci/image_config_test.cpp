#include <doctest/doctest.h>

#include "oci/image_config.hpp"
#include "oci_fixture.hpp"

using namespace tenon;
using namespace tenon::oci;
using namespace tenon::oci::testing;

TEST_SUITE("oci") {

TEST_CASE("an image config's process fields are parsed and the rest is ignored") {
  ImageConfig image = parseImageConfig(R"({
    "architecture": "amd64", "os": "linux",
    "config": {
      "Entrypoint": ["/docker-entrypoint.sh"], "Cmd": ["nginx", "-g", "daemon off;"],
      "Env": ["PATH=/usr/bin:/bin", "NGINX_VERSION=1.25"], "WorkingDir": "/srv",
      "User": "nginx:nginx", "StopSignal": "SIGQUIT", "Labels": {"maintainer": "me"},
      "ExposedPorts": {"80/tcp": {}}, "Volumes": {"/data": {}}
    },
    "rootfs": {"type": "layers", "diff_ids": []}, "history": []
  })");
  CHECK(image.entrypoint == std::vector<std::string>{"/docker-entrypoint.sh"});
  CHECK(image.cmd == std::vector<std::string>{"nginx", "-g", "daemon off;"});
  CHECK(image.env == std::vector<std::string>{"PATH=/usr/bin:/bin", "NGINX_VERSION=1.25"});
  CHECK(image.workingDir == "/srv");
  CHECK(image.user == "nginx:nginx");
  CHECK(image.stopSignal == "SIGQUIT");
  CHECK(image.labels == std::map<std::string, std::string>{{"maintainer", "me"}});
}

TEST_CASE("absent and null image config fields are empty") {
  CHECK(parseImageConfig(R"({"os": "linux"})") == ImageConfig{});
  CHECK(parseImageConfig(R"({"config": null})") == ImageConfig{});
  CHECK(parseImageConfig(R"({"config": {"Cmd": null, "Entrypoint": null, "Env": null, "Labels": null}})") ==
        ImageConfig{});
}

TEST_CASE("a malformed image config is refused naming what is wrong") {
  CHECK(messageOf([] { parseImageConfig("{not json"); }).find("invalid image config") == 0);
  CHECK(codeOf([] { parseImageConfig("[1, 2]"); }) == TENON_INVALID_ARGUMENT);
  CHECK(messageOf([] { parseImageConfig(R"({"config": {"Cmd": "sh"}})"); }).find("config.Cmd") !=
        std::string::npos);
  CHECK(messageOf([] { parseImageConfig(R"({"config": {"Env": ["A=1", 2]}})"); }).find("config.Env") !=
        std::string::npos);
  CHECK(messageOf([] { parseImageConfig(R"({"config": {"User": 0}})"); }).find("config.User") != std::string::npos);
  CHECK(messageOf([] { parseImageConfig(R"({"config": {"Labels": {"a": 1}}})"); }).find("Labels[\"a\"]") !=
        std::string::npos);
}

TEST_CASE("an image Env entry without '=' is refused and named") {
  std::string message = messageOf([] { parseImageConfig(R"({"config": {"Env": ["A=1", "JUSTAKEY"]}})"); });
  CHECK(message.find("\"JUSTAKEY\"") != std::string::npos);
  CHECK(codeOf([] { parseImageConfig(R"({"config": {"Env": ["=value"]}})"); }) == TENON_INVALID_ARGUMENT);
}

}  // TEST_SUITE
