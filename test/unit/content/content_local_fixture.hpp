// A content-local plugin on a private root, loaded from its built .so through
// the core's plugin loader and driven through ContentTable, the view the core
// uses; restartable like the daemon. Shared by the content-local tests.
#pragma once

#include <doctest/doctest.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "content/content_table.hpp"
#include "plugins/plugin_set.hpp"
#include "thrown_error.hpp"

namespace tenon::content::test {

namespace stdfs = std::filesystem;
using plugins::PluginSet;
using plugins::PluginState;
using plugins::ServiceRegistry;

inline std::vector<uint8_t> bytes(std::string_view text) { return {text.begin(), text.end()}; }

inline std::string text(std::span<const uint8_t> b) { return {b.begin(), b.end()}; }

// Pseudo-random bytes, so that a misplaced chunk changes the digest.
inline std::vector<uint8_t> noise(size_t n, uint32_t seed) {
  std::vector<uint8_t> out(n);
  for (uint8_t& b : out) {
    seed = seed * 1664525u + 1013904223u;
    b = static_cast<uint8_t>(seed >> 24);
  }
  return out;
}

using tenon::test::errorFrom;

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A content-local plugin on a private root, restartable like the daemon.
struct Store {
  stdfs::path dir;
  std::FILE* logFile = std::fopen("/dev/null", "w");
  log::Logger logger{log::Level::debug, logFile};
  ServiceRegistry registry;
  std::unique_ptr<PluginSet> pluginSet;

  Store() {
    char tmpl[] = "/tmp/tenon-content-local-XXXXXX";
    dir = ::mkdtemp(tmpl);
    start();
  }
  ~Store() {
    pluginSet.reset();
    std::fclose(logFile);
    stdfs::remove_all(dir);
  }
  void start() {
    pluginSet = std::make_unique<PluginSet>(registry, logger, plugins::EventPublisher{});
    pluginSet->load({{}, {CONTENT_LOCAL_PLUGIN}, {}, (dir / "root").string(), (dir / "state").string()});
    REQUIRE(pluginSet->plugins().size() == 1);
    INFO(pluginSet->plugins()[0].error);
    REQUIRE(pluginSet->plugins()[0].state == PluginState::loaded);
  }
  // What a daemon restart does to the plugin: fini, then a fresh init on the same root.
  void restart() {
    pluginSet.reset();
    start();
  }
  ContentTable table() const { return ContentTable(registry.get<tenon_content_service>("local")); }
  stdfs::path root() const { return dir / "root" / "content.local"; }

  // The digest sha256sum (not the plugin's OpenSSL) gives `data`.
  std::string digestOf(std::span<const uint8_t> data) const {
    stdfs::path file = dir / "digest-input";
    std::ofstream(file, std::ios::binary).write(reinterpret_cast<const char*>(data.data()), data.size());
    std::string command = "sha256sum " + file.string();
    std::FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    char hex[65] = {};
    size_t n = std::fread(hex, 1, 64, pipe);
    ::pclose(pipe);
    REQUIRE(n == 64);
    return std::string("sha256:") + hex;
  }
  std::string digestOf(std::string_view t) const { return digestOf(bytes(t)); }

  // Ingests `data` under `ref` in one write and commits it.
  bool put(const std::string& ref, std::string_view data) {
    ContentWriter w = table().openWriter(ref);
    w.write(0, bytes(data));
    return w.commit(static_cast<int64_t>(data.size()), digestOf(data));
  }
  std::string readAll(const std::string& digest) const {
    std::vector<uint8_t> buf(table().info(digest).size + 16);
    size_t n = table().readAt(digest, 0, buf);
    buf.resize(n);
    return text(buf);
  }
  std::vector<std::string> blobs() const {
    std::vector<std::string> out;
    table().walk([&](const ContentInfo& info) { out.push_back(info.digest); });
    std::sort(out.begin(), out.end());
    return out;
  }
  std::vector<std::string> ingestRefs() const {
    std::vector<std::string> out;
    for (const IngestStatus& s : table().ingests()) out.push_back(s.ref);
    std::sort(out.begin(), out.end());
    return out;
  }
};

inline const std::string kHelloWorld = "sha256:b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9";

}  // namespace tenon::content::test
