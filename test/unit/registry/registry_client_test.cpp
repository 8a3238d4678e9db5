// The registry client against a scripted loopback HTTP server: resumes,
// retries, redirects and where credentials go, auth flows, limits.
#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <tenon/error.hpp>
#include <thread>

#include "loopback_http_server.hpp"
#include "registry/encoding.hpp"
#include "registry/registry_client.hpp"

using namespace tenon;
using namespace tenon::registry;
using namespace std::chrono_literals;
using tenon::test::LoopbackHttpServer;
using tenon::test::Reply;
using tenon::test::reply;
using tenon::test::SeenRequest;

namespace {

const std::string kManifestType = "application/vnd.oci.image.manifest.v1+json";

std::string blobBytes(std::size_t size) {
  std::string bytes(size, '\0');
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>((i * 7919) >> 3);
  return bytes;
}

RegistryHost plainHost(const LoopbackHttpServer& server) {
  RegistryHost host;
  host.scheme = "http";
  host.host = server.host();
  return host;
}

ClientLimits quickLimits() {
  ClientLimits limits;
  limits.retries = 2;
  limits.backoff = 10ms;
  limits.stallTimeout = 1000ms;
  limits.connectTimeout = 2000ms;
  return limits;
}

// Collects notices from any thread.
struct Notices {
  std::mutex mutex;
  std::vector<std::string> lines;
  Notice notice() {
    return [this](const std::string& line) {
      std::lock_guard guard(mutex);
      lines.push_back(line);
    };
  }
  bool any(const std::string& part) {
    std::lock_guard guard(mutex);
    for (const auto& line : lines)
      if (line.find(part) != std::string::npos) return true;
    return false;
  }
};

struct Fixture {
  Fixture(std::vector<RegistryHost> hosts, CredentialLookup credentials = {}, ClientLimits limits = quickLimits())
      : reference{hosts.back().host, "test/blob", "1", ""},
        client(session, reference, std::move(hosts), std::move(credentials), limits, notices.notice()) {}
  Reference reference;
  std::shared_ptr<RegistrySession> session = makeRegistrySession();
  Notices notices;
  RegistryClient client;
};

std::string fetchAll(RegistryClient& client, const metadata::Descriptor& blob, std::int64_t offset = 0) {
  std::string received;
  client.fetchBlob(blob, offset, [&](std::span<const std::uint8_t> bytes) {
    received.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  });
  return received;
}

std::int64_t rangeFrom(const SeenRequest& request) {
  auto found = request.headers.find("range");
  return found == request.headers.end() ? 0 : std::stoll(found->second.substr(6));
}

// Serves `data` with Range; the first answer is cut at `cut` bytes and the connection dropped.
LoopbackHttpServer::Handler blobServer(const std::string& data, std::size_t cut, bool honourRange = true) {
  auto calls = std::make_shared<std::atomic<int>>(0);
  return [=](const SeenRequest& request) {
    std::int64_t from = honourRange ? rangeFrom(request) : 0;
    if ((*calls)++ == 0) {
      Reply cutShort = reply(200, {}, data);
      cutShort.bytes.resize(cutShort.bytes.size() - data.size() + cut);
      cutShort.close = true;
      return cutShort;
    }
    if (from == 0) return reply(200, {}, data);
    return reply(206, {"Content-Range: bytes " + std::to_string(from) + "-" + std::to_string(data.size() - 1) + "/" +
                       std::to_string(data.size())},
                 data.substr(static_cast<std::size_t>(from)));
  };
}

tenon_status codeOf(const std::function<void()>& call, std::string* message = nullptr) {
  try {
    call();
  } catch (const Error& e) {
    if (message) *message = e.what();
    return e.code();
  }
  return TENON_OK;
}

}  // namespace

TEST_CASE("registry blob: a dropped connection is resumed with a Range from the byte it stopped at") {
  std::string data = blobBytes(100000);
  LoopbackHttpServer server(blobServer(data, 40000));
  Fixture fixture({plainHost(server)});
  metadata::Descriptor blob{"application/octet-stream", sha256Digest(data), 100000, {}};
  CHECK(fetchAll(fixture.client, blob) == data);
  auto requests = server.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].target == "/v2/test/blob/blobs/" + blob.digest);
  CHECK_FALSE(requests[0].has("range"));
  CHECK(requests[1].headers["range"] == "bytes=40000-");
  CHECK(fixture.notices.any("resuming " + blob.digest + " at 40000 bytes"));
  CHECK(fixture.notices.any("retrying"));
}

TEST_CASE("registry blob: a server that ignores Range has the bytes already delivered skipped") {
  std::string data = blobBytes(50000);
  LoopbackHttpServer server(blobServer(data, 12345, false));
  Fixture fixture({plainHost(server)});
  metadata::Descriptor blob{"application/octet-stream", sha256Digest(data), 50000, {}};
  CHECK(fetchAll(fixture.client, blob) == data);
  std::string tail = fetchAll(fixture.client, blob, 30000);  // an ingest resumed at 30000, answered 200
  CHECK(tail == data.substr(30000));
}

TEST_CASE("registry blob: a stalled answer is given up after the stall timeout and resumed") {
  std::string data = blobBytes(20000);
  auto calls = std::make_shared<std::atomic<int>>(0);
  LoopbackHttpServer server([&, calls](const SeenRequest& request) {
    if ((*calls)++ == 0) {
      Reply stalled = reply(200, {}, data);
      stalled.bytes.resize(stalled.bytes.size() - 5000);
      stalled.stall = 10s;
      stalled.close = true;
      return stalled;
    }
    std::int64_t from = rangeFrom(request);
    return reply(206, {"Content-Range: bytes " + std::to_string(from) + "-19999/20000"},
                 data.substr(static_cast<std::size_t>(from)));
  });
  Fixture fixture({plainHost(server)});
  auto started = std::chrono::steady_clock::now();
  CHECK(fetchAll(fixture.client, {"application/octet-stream", sha256Digest(data), 20000, {}}) == data);
  CHECK(std::chrono::steady_clock::now() - started < 6s);
  CHECK(fixture.notices.any("at 15000 bytes"));
}

TEST_CASE("registry blob: more bytes than the descriptor's size is an error, not a longer blob") {
  std::string data = blobBytes(1000);
  LoopbackHttpServer server([&](const SeenRequest&) { return reply(200, {}, data + "extra"); });
  Fixture fixture({plainHost(server)});
  std::string message;
  CHECK(codeOf([&] { fetchAll(fixture.client, {"x", sha256Digest(data), 1000, {}}); }, &message) ==
        TENON_FAILED_PRECONDITION);
  CHECK(message.find("longer than the 1000 bytes") != std::string::npos);
}

TEST_CASE("registry blob: a redirect to another host gets neither the credentials nor the host's headers") {
  std::string data = blobBytes(3000);
  LoopbackHttpServer storage([&](const SeenRequest&) { return reply(200, {}, data); });
  LoopbackHttpServer registry([&](const SeenRequest& request) {
    if (!request.has("authorization")) return reply(401, {"WWW-Authenticate: Basic realm=\"registry\""});
    return reply(307, {"Location: http://" + storage.host() + "/bucket/blob?signature=1"});
  });
  RegistryHost host = plainHost(registry);
  host.headers = {{"X-Registry-Secret", "s3cr3t"}};
  std::vector<std::string> asked;
  Fixture fixture({host}, [&](const std::string& name) {
    asked.push_back(name);
    return std::optional<Credentials>(Credentials{"user", "pass"});
  });
  CHECK(fetchAll(fixture.client, {"x", sha256Digest(data), 3000, {}}) == data);
  CHECK(asked == std::vector<std::string>{registry.host()});
  auto toRegistry = registry.requests();
  REQUIRE(toRegistry.size() == 2);
  CHECK(toRegistry[1].headers["authorization"] == "Basic " + base64("user:pass"));
  CHECK(toRegistry[1].headers["x-registry-secret"] == "s3cr3t");
  auto toStorage = storage.requests();
  REQUIRE(toStorage.size() == 1);
  CHECK(toStorage[0].target == "/bucket/blob?signature=1");
  CHECK_FALSE(toStorage[0].has("authorization"));
  CHECK_FALSE(toStorage[0].has("x-registry-secret"));
}

TEST_CASE("registry foreign URL: fetched without credentials, and only over http(s)") {
  std::string data = blobBytes(500);
  LoopbackHttpServer foreign([&](const SeenRequest&) { return reply(200, {}, data); });
  LoopbackHttpServer registry([&](const SeenRequest&) { return reply(500); });
  RegistryHost host = plainHost(registry);
  host.headers = {{"X-Registry-Secret", "s3cr3t"}};
  bool asked = false;
  Fixture fixture({host}, [&](const std::string&) {
    asked = true;
    return std::optional<Credentials>(Credentials{"user", "pass"});
  });
  metadata::Descriptor blob{"x", sha256Digest(data), 500, {}};
  std::string received;
  fixture.client.fetchUrl("http://" + foreign.host() + "/layer", blob, 0, [&](std::span<const std::uint8_t> bytes) {
    received.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  });
  CHECK(received == data);
  CHECK_FALSE(asked);
  CHECK(foreign.requests().at(0).headers.count("authorization") == 0);
  CHECK(foreign.requests().at(0).headers.count("x-registry-secret") == 0);
  CHECK(registry.requests().empty());
  CHECK(codeOf([&] { fixture.client.fetchUrl("file:///etc/passwd", blob, 0, [](auto) {}); }) ==
        TENON_INVALID_ARGUMENT);
}

TEST_CASE("registry bearer: a token is fetched for the scope, cached in the session, and sent") {
  std::atomic<int> tokenRequests = 0;
  std::string manifest = R"({"schemaVersion":2})";
  std::string realm;
  LoopbackHttpServer server([&](const SeenRequest& request) {
    if (request.target.starts_with("/token")) {
      ++tokenRequests;
      return reply(200, {"Content-Type: application/json"}, R"({"token":"T1","expires_in":300})");
    }
    if (request.headers.count("authorization") == 0 || request.headers.at("authorization") != "Bearer T1")
      return reply(401, {"WWW-Authenticate: Bearer realm=\"" + realm +
                         "\",service=\"loopback\",scope=\"repository:test/blob:pull\""},
                   R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})");
    return reply(200, {"Content-Type: " + kManifestType, "Docker-Content-Digest: " + sha256Digest(manifest)},
                 manifest);
  });
  realm = "http://" + server.host() + "/token";
  Fixture fixture({plainHost(server)});
  metadata::Descriptor resolved = fixture.client.resolve();
  CHECK(resolved.digest == sha256Digest(manifest));
  CHECK(resolved.mediaType == kManifestType);
  CHECK(fixture.client.fetchManifest(resolved) == manifest);
  // A second client of the same session reuses the token without a 401 first... once it has seen the challenge.
  RegistryClient second(fixture.session, fixture.client.reference(), {plainHost(server)}, {}, quickLimits());
  CHECK(second.fetchManifest(resolved) == manifest);
  CHECK(tokenRequests == 1);
  auto requests = server.requests();
  auto token = std::find_if(requests.begin(), requests.end(), [](auto& r) { return r.target.starts_with("/token"); });
  REQUIRE(token != requests.end());
  CHECK(token->target == "/token?service=loopback&scope=repository%3Atest%2Fblob%3Apull");
  CHECK_FALSE(token->has("authorization"));
}

TEST_CASE("registry bearer: an identity token is refreshed with the OAuth2 form POST") {
  std::string realm;
  LoopbackHttpServer server([&](const SeenRequest& request) {
    if (request.target == "/oauth") return reply(200, {}, R"({"access_token":"A1"})");
    if (request.headers.count("authorization") && request.headers.at("authorization") == "Bearer A1")
      return reply(200, {}, "");
    return reply(401, {"WWW-Authenticate: Bearer realm=\"" + realm + "\",service=\"svc\""});
  });
  realm = "http://" + server.host() + "/oauth";
  Fixture fixture({plainHost(server)}, [](const std::string&) {
    return std::optional<Credentials>(Credentials{"", "refresh-me"});
  });
  CHECK(fixture.client.hasBlob({"x", sha256Digest("b"), 1, {}}));
  auto requests = server.requests();
  auto oauth = std::find_if(requests.begin(), requests.end(), [](auto& r) { return r.target == "/oauth"; });
  REQUIRE(oauth != requests.end());
  CHECK(oauth->method == "POST");
  CHECK(oauth->body.find("grant_type=refresh_token") != std::string::npos);
  CHECK(oauth->body.find("refresh_token=refresh-me") != std::string::npos);
  CHECK(oauth->body.find("scope=repository%3Atest%2Fblob%3Apull%2Cpush") != std::string::npos);
}

TEST_CASE("registry auth: a Basic challenge without credentials is permission_denied with the registry's words") {
  LoopbackHttpServer server([](const SeenRequest&) {
    return reply(401, {"WWW-Authenticate: Basic realm=\"r\""},
                 R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})");
  });
  Fixture fixture({plainHost(server)});
  std::string message;
  CHECK(codeOf([&] { fixture.client.fetchManifest({kManifestType, sha256Digest("{}"), 2, {}}); }, &message) ==
        TENON_PERMISSION_DENIED);
  CHECK(message == "unauthorized: UNAUTHORIZED: authentication required (" + server.host() + "/test/blob on " +
                       server.host() + ")");
}

TEST_CASE("registry retries: 503 is retried with backoff, then given up naming the host and status") {
  std::atomic<int> calls = 0;
  std::string manifest = "{}";
  LoopbackHttpServer flaky([&](const SeenRequest&) {
    if (++calls <= 2) return reply(503);
    return reply(200, {"Content-Type: " + kManifestType + "; charset=utf-8"}, manifest);
  });
  Fixture fixture({plainHost(flaky)});
  metadata::Descriptor resolved = fixture.client.resolve();  // HEAD without a digest: a GET, hashed here
  CHECK(resolved.digest == sha256Digest(manifest));
  CHECK(resolved.size == 2);
  CHECK(resolved.mediaType == kManifestType);
  CHECK(fixture.notices.any("retrying in 10 ms (1 of 2)"));
  CHECK(fixture.notices.any("retrying in 20 ms (2 of 2)"));

  LoopbackHttpServer down([](const SeenRequest&) { return reply(503); });
  Fixture failing({plainHost(down)});
  std::string message;
  CHECK(codeOf([&] { failing.client.resolve(); }, &message) == TENON_UNAVAILABLE);
  CHECK(message.find(down.host() + " answered 503 Service Unavailable") != std::string::npos);
  CHECK(down.requests().size() == 3);
}

TEST_CASE("registry hosts: a mirror's 404 moves on to the next host; the last host's 404 is not_found") {
  std::string manifest = "{}";
  LoopbackHttpServer mirror([](const SeenRequest&) { return reply(404); });
  LoopbackHttpServer upstream([&](const SeenRequest&) {
    return reply(200, {"Content-Type: " + kManifestType, "Docker-Content-Digest: " + sha256Digest(manifest)},
                 manifest);
  });
  Fixture fixture({plainHost(mirror), plainHost(upstream)});
  CHECK(fixture.client.resolve().digest == sha256Digest(manifest));
  CHECK(fixture.notices.any("trying the next host after " + mirror.host()));

  Fixture alone({plainHost(mirror)});
  std::string message;
  CHECK(codeOf([&] { alone.client.resolve(); }, &message) == TENON_NOT_FOUND);
  CHECK(message == mirror.host() + "/test/blob:1: not found");
}

TEST_CASE("registry resolve: a media type that is no manifest or index is refused") {
  LoopbackHttpServer server([](const SeenRequest&) { return reply(200, {"Content-Type: text/html"}, "<html/>"); });
  Fixture fixture({plainHost(server)});
  std::string message;
  CHECK(codeOf([&] { fixture.client.resolve(); }, &message) == TENON_INVALID_ARGUMENT);
  CHECK(message.find("unsupported media type \"text/html\"") != std::string::npos);
}

TEST_CASE("registry manifest: sizes over the limit are refused before the body is buffered; digests are checked") {
  std::string big(4096, ' ');
  LoopbackHttpServer server([&](const SeenRequest&) { return reply(200, {"Content-Type: " + kManifestType}, big); });
  ClientLimits limits = quickLimits();
  limits.maxManifestBytes = 1024;
  Fixture fixture({plainHost(server)}, {}, limits);
  CHECK(codeOf([&] { fixture.client.fetchManifest({kManifestType, sha256Digest(big), 4096, {}}); }) ==
        TENON_RESOURCE_EXHAUSTED);
  CHECK(server.requests().empty());
  CHECK(codeOf([&] { fixture.client.fetchManifest({kManifestType, sha256Digest("{}"), 100, {}}); }) ==
        TENON_RESOURCE_EXHAUSTED);  // announced 4096 bytes for a 100-byte descriptor
  Fixture unlimited({plainHost(server)});
  std::string message;
  CHECK(codeOf([&] { unlimited.client.fetchManifest({kManifestType, sha256Digest("other"), 4096, {}}); },
               &message) == TENON_FAILED_PRECONDITION);
  CHECK(message.find("has the digest " + sha256Digest(big)) != std::string::npos);
}

TEST_CASE("registry cancel: a stop request ends a stalled download with cancelled") {
  LoopbackHttpServer server([](const SeenRequest&) {
    Reply stalled = reply(200, {}, std::string(100, 'x'));
    stalled.bytes.resize(stalled.bytes.size() - 50);
    stalled.stall = 10s;
    stalled.close = true;
    return stalled;
  });
  ClientLimits limits = quickLimits();
  limits.stallTimeout = 30s;
  Fixture fixture({plainHost(server)}, {}, limits);
  std::stop_source stop;
  std::thread canceller([&] {
    std::this_thread::sleep_for(200ms);
    stop.request_stop();
  });
  auto started = std::chrono::steady_clock::now();
  tenon_status code = codeOf([&] {
    fixture.client.fetchBlob({"x", sha256Digest("x"), 100, {}}, 0, [](auto) {}, stop.get_token());
  });
  canceller.join();
  CHECK(code == TENON_CANCELLED);
  CHECK(std::chrono::steady_clock::now() - started < 3s);
}

TEST_CASE("registry push: an upload POSTs, then PUTs the bytes to the Location with the digest; mount 202 is cancelled") {
  std::string data = blobBytes(7000);
  std::string digest = sha256Digest(data);
  LoopbackHttpServer server([&](const SeenRequest& request) {
    if (request.method == "POST" && request.target.find("mount=") != std::string::npos)
      return reply(202, {"Location: /v2/test/blob/blobs/uploads/m1"});
    if (request.method == "POST") return reply(202, {"Location: /v2/test/blob/blobs/uploads/u1?_state=abc"});
    if (request.method == "PUT") return reply(201, {"Docker-Content-Digest: " + digest});
    return reply(request.method == "DELETE" ? 204 : 404);
  });
  Fixture fixture({plainHost(server)});
  metadata::Descriptor blob{"application/octet-stream", digest, 7000, {}};
  CHECK_FALSE(fixture.client.hasBlob(blob));
  CHECK_FALSE(fixture.client.mountBlob(blob, "other/repo"));
  fixture.client.uploadBlob(blob, [&](std::int64_t offset, std::span<std::uint8_t> buffer) {
    std::size_t count = std::min(buffer.size(), data.size() - static_cast<std::size_t>(offset));
    std::copy_n(data.data() + offset, count, buffer.data());
    return count;
  });
  auto requests = server.requests();
  REQUIRE(requests.size() == 5);
  CHECK(requests[1].target == "/v2/test/blob/blobs/uploads/?mount=" + std::string("sha256%3A") + digest.substr(7) +
                                  "&from=other%2Frepo");
  CHECK(requests[2].method == "DELETE");
  CHECK(requests[2].target == "/v2/test/blob/blobs/uploads/m1");
  CHECK(requests[4].target == "/v2/test/blob/blobs/uploads/u1?_state=abc&digest=sha256%3A" + digest.substr(7));
  CHECK(requests[4].body == data);
  CHECK(requests[4].headers["content-type"] == "application/octet-stream");
}

TEST_CASE("registry hosts: a loopback host without TLS is spoken to over plain http when allowed") {
  std::string manifest = "{}";
  LoopbackHttpServer server([&](const SeenRequest&) {
    return reply(200, {"Content-Type: " + kManifestType, "Docker-Content-Digest: " + sha256Digest(manifest)},
                 manifest);
  });
  RegistryHost host = plainHost(server);
  host.scheme = "https";
  host.httpFallback = true;
  Fixture fixture({host});
  CHECK(fixture.client.resolve().digest == sha256Digest(manifest));
  CHECK(fixture.notices.any("does not speak TLS"));
}
