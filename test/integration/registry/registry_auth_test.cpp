// Credentials with a real registry: htpasswd Basic auth, token auth through a
// token issuer of the test's own, and a layer whose descriptor points at
// another host, which must never see the registry's credentials
// (CVE-2020-15157).
#include <doctest/doctest.h>

#include "local_registry.hpp"
#include "registry_ctr.hpp"
#include "registry_upload.hpp"
#include "text_lines.hpp"
#include "token_issuer.hpp"

using namespace tenon::test;

namespace {

// REQUIREs that `pull` failed with one error line saying it was unauthorized.
void checkUnauthorized(const ProcessResult &pull) {
  CHECK(pull.status.code != 0);
  std::vector<std::string> errors = errorLines(pull.err);
  REQUIRE_MESSAGE(errors.size() == 1, pull.err);
  CHECK_MESSAGE(contains(lowercase(errors[0]), "unauthorized"), errors[0]);
}

void pushBusybox(const std::string &ref, const RegistryUser &user) {
  skopeoCopy("oci:" + busyboxArchives().layoutDir + ":latest",
             "docker://" + ref, {"--dest-creds", user.colonJoined()});
}

} // namespace

TEST_CASE("htpasswd Basic auth: a pull without credentials or with a wrong "
          "password is unauthorized; --user pulls") {
  RegistryUser user{"tenon", "basic-secret"};
  LocalRegistry registry(
      {.htpasswd = user, .token = {}, .allowLoopbackLayerUrls = false});
  std::string ref = registry.reference("test/busybox:1");
  pushBusybox(ref, user);
  TestDaemon daemon(registryDaemonOptions());
  daemon.start();

  checkUnauthorized(pullImage(daemon, "default", ref));
  checkUnauthorized(pullImage(daemon, "default", ref,
                              {"-u", user.name + ":not-" + user.password}));
  CHECK(imageNames(daemon, "default").empty());

  requireSucceeded(
      pullImage(daemon, "default", ref, {"--user", user.colonJoined()}),
      "ctr images pull --user");
  CHECK(imageNames(daemon, "default") == std::vector<std::string>{ref});
  CHECK(daemon.running());
}

TEST_CASE("token auth: --user gets a token for the repository's pull scope; "
          "without credentials it is unauthorized") {
  RegistryUser user{"tenon", "token-secret"};
  TokenIssuer issuer(user);
  LocalRegistry registry({.htpasswd = {},
                          .token = issuer.auth(),
                          .allowLoopbackLayerUrls = false});
  std::string ref = registry.reference("test/busybox:1");
  pushBusybox(ref, user);
  issuer.clearRequests(); // skopeo's
  TestDaemon daemon(registryDaemonOptions());
  daemon.start();

  checkUnauthorized(pullImage(daemon, "default", ref));
  CHECK(imageNames(daemon, "default").empty());

  issuer.clearRequests();
  requireSucceeded(
      pullImage(daemon, "default", ref, {"--user", user.colonJoined()}),
      "ctr images pull --user");
  CHECK(imageNames(daemon, "default") == std::vector<std::string>{ref});
  bool grantedPull = false;
  std::string asked;
  for (const nlohmann::json &request : issuer.requests()) {
    asked += request.dump() + "\n";
    for (const auto &scope : request["scopes"]) {
      CHECK_MESSAGE(
          scope.get<std::string>().starts_with("repository:test/busybox:"),
          "a scope beyond the repository: ", scope);
      if (request["granted"] == true && scope == "repository:test/busybox:pull")
        grantedPull = true;
    }
  }
  CHECK_MESSAGE(grantedPull,
                "the issuer granted no repository:test/busybox:pull token; it "
                "was asked:\n",
                asked);
}

TEST_CASE("a layer with a foreign URL is fetched from it only when allowed, "
          "and never with the registry's credentials") {
  RegistryUser user{"tenon", "foreign-secret"};
  LocalRegistry registry(
      {.htpasswd = user, .token = {}, .allowLoopbackLayerUrls = true});
  TempDir work{"tenon-registry-foreign"};
  Layer layer = oneFileLayer("foreign", "fetched from elsewhere\n");
  writeFile(work / "layer", layer.blob);
  ScriptServer elsewhere(
      "logging_blob_server.py",
      {"--file", work / "layer", "--path", "/layers/foreign"});
  OciImage image =
      makeImage({layer}, hostArchitecture(),
                "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip");
  image.manifest["layers"][0]["urls"] = {elsewhere.url() + "/layers/foreign"};
  RegistryUpload(registry, "test/foreign", user)
      .image(image, "1"); // the layer itself stays elsewhere
  std::string ref = registry.reference("test/foreign:1");
  TestDaemon daemon(registryDaemonOptions());
  daemon.start();

  ProcessResult notAllowed =
      pullImage(daemon, "default", ref, {"--user", user.colonJoined()});
  CHECK_MESSAGE(notAllowed.status.code != 0,
                "the registry has no such blob, yet the pull succeeded");
  CHECK_MESSAGE(elsewhere.requests().empty(),
                "without --allow-foreign-urls the layer's URL was asked");

  requireSucceeded(
      pullImage(daemon, "default", ref,
                {"--user", user.colonJoined(), "--allow-foreign-urls"}),
      "ctr images pull --allow-foreign-urls");
  CHECK(imageNames(daemon, "default") == std::vector<std::string>{ref});
  CHECK(includes(listedDigests(daemon), image.layerDigests()[0]));
  std::vector<nlohmann::json> requests = elsewhere.requests();
  CHECK_MESSAGE(!requests.empty(), "the layer was not fetched from its URL");
  for (const nlohmann::json &request : requests)
    for (const auto &[name, value] : request["headers"].items())
      CHECK_MESSAGE(lowercase(name) != "authorization",
                    "the foreign host was sent ", name, ": ", value);
}
