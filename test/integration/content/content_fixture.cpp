#include "content_fixture.hpp"

#include <doctest/doctest.h>
#include <openssl/evp.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "text_lines.hpp"

namespace tenon::test {

DaemonOptions contentDaemonOptions() {
  DaemonOptions options;
  options.tenond = kTenond;
  options.pluginFiles = {kContentLocalPlugin};
  return options;
}

ProcessResult ctrOk(const TestDaemon& daemon, const std::vector<std::string>& args) {
  ProcessResult result = runCtr(daemon.address(), args);
  REQUIRE_MESSAGE(result.status.code == 0, "ctr " << nlohmann::json(args).dump() << ": " << result.err);
  return result;
}

std::string randomBytes(size_t size, uint64_t seed) {
  std::mt19937_64 generator(seed);
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; i += sizeof(uint64_t)) {
    uint64_t word = generator();
    for (size_t k = 0; k < sizeof word && i + k < size; ++k) bytes[i + k] = static_cast<char>(word >> (8 * k));
  }
  return bytes;
}

std::string sha256Of(const std::string& bytes) {
  unsigned char hash[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  REQUIRE(EVP_Digest(bytes.data(), bytes.size(), hash, &size, EVP_sha256(), nullptr) == 1);
  std::string text = "sha256:";
  char hex[3];
  for (unsigned int i = 0; i < size; ++i) {
    std::snprintf(hex, sizeof hex, "%02x", hash[i]);
    text += hex;
  }
  return text;
}

std::string writeInput(const TempDir& dir, const std::string& name, const std::string& bytes) {
  std::string path = dir / name;
  writeFile(path, bytes);
  return path;
}

std::vector<std::string> listedDigests(const TestDaemon& daemon, const std::string& ns) {
  ProcessResult ls = runCtr(daemon.address(), {"-n", ns, "content", "ls", "-q"});
  REQUIRE_MESSAGE(ls.status.code == 0, ls.err);
  return lines(ls.out);
}

std::optional<int64_t> ingestOffset(const TestDaemon& daemon, const std::string& ref, const std::string& ns) {
  ProcessResult active = runCtr(daemon.address(), {"-n", ns, "content", "active", "--format", "json"});
  REQUIRE_MESSAGE(active.status.code == 0, active.err);
  for (const auto& ingest : nlohmann::json::parse(active.out))
    if (ingest.at("ref") == ref) return ingest.at("offset").get<int64_t>();
  return std::nullopt;
}

std::unique_ptr<CtrWithInput> startIngest(const TestDaemon& daemon, const std::string& ref, const std::string& bytes,
                                          size_t fed, const std::string& ns) {
  auto ctr =
      std::make_unique<CtrWithInput>(daemon.address(), std::vector<std::string>{"-n", ns, "content", "ingest", ref});
  REQUIRE(ctr->feed(std::string_view(bytes).substr(0, fed)));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (ingestOffset(daemon, ref, ns).value_or(0) == 0) {
    REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, "the ingest never got past offset 0");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return ctr;
}

}  // namespace tenon::test
