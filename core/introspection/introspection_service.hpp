// The Introspection RPC service: plugins and their state, and server facts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "introspection.capnp.h"
#include "plugins/plugin_set.hpp"

namespace tenon::introspection {

struct ServerFacts {
  uint32_t pid;
  std::string root;
  std::string state;
  std::string address;
  int64_t startedAt;  // ns since the epoch
  std::vector<std::string> warnings;  // what the daemon runs without, and why
};

class IntrospectionService final : public rpc::Introspection::Server {
 public:
  IntrospectionService(const plugins::PluginSet& plugins, ServerFacts facts)
      : plugins_(plugins), facts_(std::move(facts)) {}

 protected:
  kj::Promise<void> plugins(PluginsContext context) override;
  kj::Promise<void> server(ServerContext context) override;

 private:
  const plugins::PluginSet& plugins_;
  ServerFacts facts_;
};

}  // namespace tenon::introspection
