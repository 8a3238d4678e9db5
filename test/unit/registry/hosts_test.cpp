#include "registry/hosts.hpp"

#include <doctest/doctest.h>

#include <tenon/error.hpp>

#include <filesystem>
#include <string>

#include "temp_dir.hpp"

using namespace tenon;
using namespace tenon::registry;
using tenon::test::TempDir;
using tenon::test::writeFile;
namespace fs = std::filesystem;

namespace {

constexpr unsigned kAll = kPull | kResolve | kPush;

// A hosts directory with `text` as <domain>/hosts.toml.
void writeHostsToml(const TempDir& dir, const std::string& domain, const std::string& text) {
  fs::create_directories(dir.path() / domain);
  writeFile(dir.path() / domain / "hosts.toml", text);
}

std::string errorOf(const std::string& domain, const HostOptions& options) {
  try {
    (void)registryHosts(domain, options);
  } catch (const Error& e) {
    CHECK(e.code() == TENON_INVALID_ARGUMENT);
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("registry hosts without configuration: the domain itself, docker.io's upstream") {
  std::vector<RegistryHost> hub = registryHosts("docker.io", {});
  REQUIRE(hub.size() == 1);
  CHECK(hub[0].base() == "https://registry-1.docker.io/v2");
  CHECK(hub[0].capabilities == kAll);
  CHECK_FALSE(hub[0].httpFallback);
  CHECK(hub[0].dialTimeout == std::chrono::seconds(30));

  std::vector<RegistryHost> quay = registryHosts("quay.io", {});
  REQUIRE(quay.size() == 1);
  CHECK(quay[0].base() == "https://quay.io/v2");
  CHECK(registryHosts("quay.io", {"", true, false})[0].base() == "http://quay.io/v2");
  CHECK(registryHosts("docker.io", {"", true, false})[0].base() == "https://registry-1.docker.io/v2");
  CHECK(registryHosts("quay.io", {"", false, true})[0].skipVerify);

  TempDir empty("tenon-hosts");  // a hosts directory that says nothing about the domain
  CHECK(registryHosts("registry.example:5000", {empty.path().string(), false, false})[0].base() ==
        "https://registry.example:5000/v2");
}

TEST_CASE("registry hosts: loopback upstreams nobody named fall back to plain http") {
  CHECK(registryHosts("localhost:5000", {})[0].httpFallback);
  CHECK(registryHosts("127.0.0.1:5000", {})[0].httpFallback);
  CHECK(registryHosts("[::1]:5000", {})[0].base() == "https://[::1]:5000/v2");
  CHECK_FALSE(registryHosts("registry.example", {})[0].httpFallback);
  std::vector<RegistryHost> plain = registryHosts("localhost:5000", {"", true, false});
  CHECK(plain[0].base() == "http://localhost:5000/v2");
  CHECK_FALSE(plain[0].httpFallback);

  // A named server is taken as written; an unnamed one keeps the fallback, as in containerd.
  TempDir dir("tenon-hosts");
  writeHostsToml(dir, "localhost:5000", "server = \"https://localhost:5000\"\n");
  CHECK_FALSE(registryHosts("localhost:5000", {dir.path().string(), false, false})[0].httpFallback);
  writeHostsToml(dir, "localhost:5000", "[host.\"https://mirror.example\"]\n");
  std::vector<RegistryHost> mirrored = registryHosts("localhost:5000", {dir.path().string(), false, false});
  REQUIRE(mirrored.size() == 2);
  CHECK_FALSE(mirrored[0].httpFallback);
  CHECK(mirrored[1].httpFallback);
}

TEST_CASE("registry hosts.toml: mirrors in file order, then the server, with their capabilities") {
  TempDir dir("tenon-hosts");
  writeHostsToml(dir, "docker.io", R"(
server = "https://upstream.example"

[host."https://zeta.example"]
  capabilities = ["pull"]
[host."https://alpha.example"]
  capabilities = ["pull", "Resolve"]
[host."https://mid.example:5000"]
)");
  std::vector<RegistryHost> hosts = registryHosts("docker.io", {dir.path().string(), false, false});
  REQUIRE(hosts.size() == 4);
  CHECK(hosts[0].base() == "https://zeta.example/v2");
  CHECK(hosts[0].capabilities == kPull);
  CHECK(hosts[1].base() == "https://alpha.example/v2");
  CHECK(hosts[1].capabilities == (kPull | kResolve));
  CHECK(hosts[2].base() == "https://mid.example:5000/v2");
  CHECK(hosts[2].capabilities == kAll);  // containerd: unspecified means all three
  CHECK(hosts[3].base() == "https://upstream.example/v2");
  CHECK(hosts[3].capabilities == kAll);
}

TEST_CASE("registry hosts.toml without a server: the default upstream comes last, with the top-level settings") {
  TempDir dir("tenon-hosts");
  writeHostsToml(dir, "docker.io", R"(
ca = "upstream-ca.crt"
[header]
  x-upstream = "yes"
[host."https://mirror.example"]
  capabilities = ["pull", "resolve"]
)");
  std::vector<RegistryHost> hosts = registryHosts("docker.io", {dir.path().string(), false, false});
  REQUIRE(hosts.size() == 2);
  CHECK(hosts[0].base() == "https://mirror.example/v2");
  CHECK(hosts[0].caFiles.empty());
  CHECK(hosts[0].headers.empty());
  CHECK(hosts[1].base() == "https://registry-1.docker.io/v2");
  CHECK(hosts[1].caFiles == std::vector<std::string>{dir / "docker.io/upstream-ca.crt"});
  CHECK(hosts[1].headers == std::vector<std::pair<std::string, std::string>>{{"x-upstream", "yes"}});
}

TEST_CASE("registry hosts.toml: ca and client paths, headers, skip_verify and dial_timeout") {
  TempDir dir("tenon-hosts");
  writeHostsToml(dir, "registry.example", R"(
server = "https://registry.example"
skip_verify = true
dial_timeout = "1m30s"
client = "/etc/certs/client.pem"

[host."https://one.example"]
  ca = "certs/ca.pem"
  client = [["c.cert", "c.key"], ["/abs/both.pem", ""]]
  dial_timeout = "500ms"
  [host."https://one.example".header]
    x-single = "1"
    x-multi = ["a", "b"]
[host."https://two.example"]
  ca = ["/abs/ca1.pem", "../shared/ca2.pem"]
  client = ["p1.pem", "/abs/p2.pem"]
  dial_timeout = "1.5s"
)");
  std::vector<RegistryHost> hosts = registryHosts("registry.example", {dir.path().string(), false, false});
  REQUIRE(hosts.size() == 3);
  const std::string base = dir / "registry.example";
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  CHECK(hosts[0].caFiles == std::vector<std::string>{base + "/certs/ca.pem"});
  CHECK(hosts[0].clientCerts == Pairs{{base + "/c.cert", base + "/c.key"}, {"/abs/both.pem", ""}});
  CHECK(hosts[0].dialTimeout == std::chrono::milliseconds(500));
  CHECK(hosts[0].headers == Pairs{{"x-multi", "a"}, {"x-multi", "b"}, {"x-single", "1"}});
  CHECK_FALSE(hosts[0].skipVerify);
  CHECK(hosts[1].caFiles == std::vector<std::string>{"/abs/ca1.pem", dir / "shared/ca2.pem"});
  CHECK(hosts[1].clientCerts == Pairs{{base + "/p1.pem", ""}, {"/abs/p2.pem", ""}});
  CHECK(hosts[1].dialTimeout == std::chrono::milliseconds(1500));
  CHECK(hosts[2].skipVerify);
  CHECK(hosts[2].dialTimeout == std::chrono::seconds(90));
  CHECK(hosts[2].clientCerts == Pairs{{"/etc/certs/client.pem", ""}});

  // The client's skip-verify covers every host.
  for (const RegistryHost& h : registryHosts("registry.example", {dir.path().string(), false, true}))
    CHECK(h.skipVerify);
}

TEST_CASE("registry hosts.toml: /v2 is appended to the URL's path unless override_path") {
  TempDir dir("tenon-hosts");
  writeHostsToml(dir, "registry.example", R"(
server = "https://registry.example/"
[host."https://a.example/v2/upstream"]
  override_path = true
[host."https://b.example/prefix//sub/"]
[host."https://c.example/v2"]
[host."https://d.example"]
  override_path = true
)");
  std::vector<RegistryHost> hosts = registryHosts("registry.example", {dir.path().string(), false, false});
  REQUIRE(hosts.size() == 5);
  CHECK(hosts[0].base() == "https://a.example/v2/upstream");
  CHECK(hosts[1].base() == "https://b.example/prefix/sub/v2");
  CHECK(hosts[2].base() == "https://c.example/v2");
  CHECK(hosts[3].base() == "https://d.example");
  CHECK(hosts[4].base() == "https://registry.example/v2");
}

TEST_CASE("registry hosts.toml: plain http applies to hosts written without a scheme") {
  TempDir dir("tenon-hosts");
  writeHostsToml(dir, "registry.example", R"(
server = "registry.example:5000"
[host."mirror.example"]
[host."https://tls.example"]
[host."http://plain.example"]
)");
  std::vector<RegistryHost> plain = registryHosts("registry.example", {dir.path().string(), true, false});
  REQUIRE(plain.size() == 4);
  CHECK(plain[0].base() == "http://mirror.example/v2");
  CHECK(plain[1].base() == "https://tls.example/v2");
  CHECK(plain[2].base() == "http://plain.example/v2");
  CHECK(plain[3].base() == "http://registry.example:5000/v2");
  std::vector<RegistryHost> tls = registryHosts("registry.example", {dir.path().string(), false, false});
  CHECK(tls[0].base() == "https://mirror.example/v2");
  CHECK(tls[2].base() == "http://plain.example/v2");
  CHECK(tls[3].base() == "https://registry.example:5000/v2");
}

TEST_CASE("registry hosts: _default/hosts.toml serves domains without a directory of their own") {
  TempDir dir("tenon-hosts");
  writeHostsToml(dir, "_default", "[host.\"https://mirror.example\"]\n  capabilities = [\"pull\"]\n");
  writeHostsToml(dir, "own.example", "server = \"https://own-upstream.example\"\n");
  std::vector<RegistryHost> other = registryHosts("other.example:5000", {dir.path().string(), false, false});
  REQUIRE(other.size() == 2);
  CHECK(other[0].base() == "https://mirror.example/v2");
  CHECK(other[0].capabilities == kPull);
  CHECK(other[1].base() == "https://other.example:5000/v2");
  std::vector<RegistryHost> own = registryHosts("own.example", {dir.path().string(), false, false});
  REQUIRE(own.size() == 1);
  CHECK(own[0].base() == "https://own-upstream.example/v2");
}

TEST_CASE("registry hosts: Docker's certs.d files configure a host without a hosts.toml") {
  TempDir dir("tenon-hosts");
  const fs::path certs = dir.path() / "localhost:5000";
  fs::create_directories(certs / "sub.crt");  // a directory is not a certificate
  for (const char* name : {"ca.crt", "b-ca.crt", "client.cert", "client.key", "lone.cert", "notes.txt"})
    writeFile(certs / name, "x");
  writeHostsToml(dir, "_default", "server = \"https://not-used.example\"\n");
  std::vector<RegistryHost> hosts = registryHosts("localhost:5000", {dir.path().string(), false, false});
  REQUIRE(hosts.size() == 1);
  CHECK(hosts[0].base() == "https://localhost:5000/v2");
  CHECK(hosts[0].caFiles == std::vector<std::string>{(certs / "b-ca.crt").string(), (certs / "ca.crt").string()});
  CHECK(hosts[0].clientCerts == std::vector<std::pair<std::string, std::string>>{
                                    {(certs / "client.cert").string(), (certs / "client.key").string()},
                                    {(certs / "lone.cert").string(), ""}});
  CHECK(hosts[0].httpFallback);  // no hosts.toml: still Docker's localhost default
}

TEST_CASE("registry hosts.toml errors name the file, and the key or value that is wrong") {
  TempDir dir("tenon-hosts");
  const HostOptions options{dir.path().string(), false, false};
  const std::string file = dir / "registry.example/hosts.toml";
  struct Case {
    std::string toml, why;
  };
  const Case cases[] = {
      {"server = [", "hosts.toml:1:"},
      {"serve = \"https://x\"\n", "unknown key \"serve\""},
      {"[host.\"https://m\"]\n  capability = [\"pull\"]\n", "unknown key \"capability\" in [host.\"https://m\"]"},
      {"[host.\"https://m\"]\n  capabilities = [\"pull\", \"fetch\"]\n", "unknown capability \"fetch\""},
      {"[host.\"https://m\"]\n  capabilities = \"pull\"\n", "must be an array of strings, not string"},
      {"[host.\"https://m\"]\n  dial_timeout = \"5 seconds\"\n", "not a positive duration"},
      {"dial_timeout = \"0s\"\n", "not a positive duration"},
      {"skip_verify = \"yes\"\n", "skip_verify must be a boolean, not string"},
      {"[host.\"ftp://m\"]\n", "scheme must be https or http"},
      {"[host.\"https://\"]\n", "no valid host name"},
      {"[host.\"https://m/x?y=1\"]\n", "no query or fragment"},
      {"[host.\"https://m\"]\n  client = [[\"a\"]]\n", "pairs must be [certificate, key]"},
      {"[header]\n  \"x bad\" = \"1\"\n", "is not a header name"},
      {"[header]\n  x-h = \"a\\r\\nInjected: 1\"\n", "line break"},
      {"host = 1\n", "host must be a table"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.toml);
    writeHostsToml(dir, "registry.example", c.toml);
    std::string message = errorOf("registry.example", options);
    CHECK(message.rfind(file, 0) == 0);
    CHECK(message.find(c.why) != std::string::npos);
  }
  writeHostsToml(dir, "registry.example", "[host.\"https://m\"]\n  skip_verify = 1\n");
  CHECK(errorOf("registry.example", options) ==
        file + ":2:17: [host.\"https://m\"] skip_verify must be a boolean, not integer");
}

TEST_CASE("registry hosts: a domain cannot climb out of the hosts directory") {
  TempDir dir("tenon-hosts");
  const HostOptions options{dir.path().string(), false, false};
  for (const char* bad : {"", ".", "..", "../etc", "a/b"}) {
    CAPTURE(bad);
    CHECK(errorOf(bad, options).find("invalid registry domain") != std::string::npos);
  }
}
