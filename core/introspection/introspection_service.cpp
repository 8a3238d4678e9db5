#include "introspection/introspection_service.hpp"

#include "rpc/request_context.hpp"
#include "rpc/rpc_errors.hpp"

namespace tenon::introspection {

namespace {

rpc::PluginState toRpc(plugins::PluginState state) {
  switch (state) {
    case plugins::PluginState::loaded: return rpc::PluginState::LOADED;
    case plugins::PluginState::disabled: return rpc::PluginState::DISABLED;
    case plugins::PluginState::failed: break;
  }
  return rpc::PluginState::FAILED;
}

template <class Builder>
void setTexts(Builder list, const std::vector<std::string>& texts) {
  for (size_t i = 0; i < texts.size(); ++i) list.set(i, texts[i].c_str());
}

}  // namespace

kj::Promise<void> IntrospectionService::plugins(PluginsContext context) {
  return rpc::serve([&] {
    rpc::requestNamespace(context.getParams().getCtx());
    const auto& records = plugins_.plugins();
    auto list = context.getResults().initPlugins(records.size());
    for (size_t i = 0; i < records.size(); ++i) {
      const plugins::PluginRecord& r = records[i];
      auto out = list[i];
      out.setType(r.type.c_str());
      out.setId(r.id.c_str());
      out.setPath(r.path.c_str());
      setTexts(out.initRequirements(r.requirements.size()), r.requirements);
      out.setState(toRpc(r.state));
      out.setError(r.error.c_str());
      out.setVersion(r.version.c_str());
      setTexts(out.initServices(r.services.size()), r.services);
    }
  });
}

kj::Promise<void> IntrospectionService::server(ServerContext context) {
  return rpc::serve([&] {
    rpc::requestNamespace(context.getParams().getCtx());
    auto info = context.getResults().initInfo();
    info.setPid(facts_.pid);
    info.setRoot(facts_.root.c_str());
    info.setState(facts_.state.c_str());
    info.setAddress(facts_.address.c_str());
    info.setStartedAt(facts_.startedAt);
    setTexts(info.initWarnings(facts_.warnings.size()), facts_.warnings);
  });
}

}  // namespace tenon::introspection
