#include "plugins/plugin_set.hpp"

#include <algorithm>
#include <filesystem>
#include <set>
#include <tenon/error.hpp>

#include "fs/directories.hpp"
#include "plugins/plugin_order.hpp"

namespace tenon::plugins {

namespace stdfs = std::filesystem;

namespace {

// A plugin that failed to start leaves no trace, unless it wrote something it may want back.
void removeIfEmpty(const std::string& dir) {
  std::error_code ec;
  if (stdfs::is_empty(dir, ec)) stdfs::remove(dir, ec);
}

std::string canonicalPath(const std::string& path) {
  std::error_code ec;
  std::string canonical = stdfs::weakly_canonical(stdfs::absolute(path), ec).string();
  return ec ? path : canonical;
}

}  // namespace

PluginSet::PluginSet(ServiceRegistry& registry, log::Logger& logger, EventPublisher publisher)
    : registry_(registry), logger_(logger), publisher_(std::move(publisher)) {}

PluginSet::~PluginSet() { shutdown(); }

void PluginSet::load(const PluginSources& sources) {
  std::vector<Candidate> candidates = open(discover(sources), sources);
  initialise(candidates, sources);
}

std::vector<std::string> PluginSet::discover(const PluginSources& sources) {
  std::vector<std::string> found;
  for (const std::string& dir : sources.dirs) {
    std::error_code ec;
    std::vector<std::string> inDir;
    for (const auto& entry : stdfs::directory_iterator(dir, ec))
      if (entry.path().extension() == ".so" && entry.is_regular_file()) inDir.push_back(entry.path());
    if (ec) logger_.warn("cannot read plugin directory", {{"dir", dir}, {"error", ec.message()}});
    std::sort(inDir.begin(), inDir.end());
    found.insert(found.end(), inDir.begin(), inDir.end());
  }
  found.insert(found.end(), sources.files.begin(), sources.files.end());
  for (const auto& [name, config] : sources.configs)
    if (config.enabled && config.path) found.push_back(*config.path);

  std::vector<std::string> unique;
  std::set<std::string> seen;
  for (const std::string& path : found) {
    std::string canonical = canonicalPath(path);
    if (seen.insert(canonical).second) unique.push_back(canonical);
  }
  return unique;
}

std::vector<PluginSet::Candidate> PluginSet::open(const std::vector<std::string>& paths,
                                                  const PluginSources& sources) {
  std::vector<Candidate> candidates;
  std::map<std::string, size_t> byName;  // "<type>.<id>" -> record
  std::map<std::string, std::string> configuredPaths;  // canonical path -> the table naming it
  for (const auto& [name, config] : sources.configs)
    if (config.path) configuredPaths[canonicalPath(*config.path)] = name;
  for (const std::string& path : paths) {
    size_t index = records_.size();
    PluginRecord failedOpen;
    failedOpen.path = path;
    failedOpen.id = stdfs::path(path).filename().string();
    records_.push_back(std::move(failedOpen));
    OpenedPlugin opened;
    try {
      opened = openPlugin(path);
    } catch (const Error& e) {
      markFailed(index, e.what());
      continue;
    }
    PluginRecord& record = records_[index];
    record.type = opened.type;
    record.id = opened.id;
    record.version = opened.version;
    record.requirements = opened.requirements;
    std::string name = record.name();

    if (auto table = configuredPaths.find(path); table != configuredPaths.end() && table->second != name) {
      markFailed(index, "[plugins.\"" + table->second + "\"] names this file, but it holds plugin " + name);
      continue;
    }
    auto config = sources.configs.find(name);
    if (config != sources.configs.end() && !config->second.enabled) {
      record.state = PluginState::disabled;
      logger_.info("plugin disabled by config", {{"plugin", name}, {"path", path}});
      continue;
    }
    if (auto other = byName.find(name); other != byName.end()) {
      markFailed(index, "duplicate plugin " + name + ", also provided by " + records_[other->second].path);
      continue;
    }
    byName[name] = index;
    candidates.push_back({index, std::move(opened), config == sources.configs.end() ? nullptr : &config->second});
  }

  // Disabled plugins that were never opened still show, so that `ctr plugins ls` tells why they are absent.
  for (const auto& [name, config] : sources.configs) {
    bool known = std::any_of(records_.begin(), records_.end(), [&](const auto& r) { return r.name() == name; });
    if (known) continue;
    if (!config.enabled) {
      size_t dot = name.find('.');
      PluginRecord disabled;
      disabled.path = config.path.value_or("");
      disabled.type = name.substr(0, dot);
      disabled.id = name.substr(dot + 1);
      disabled.state = PluginState::disabled;
      records_.push_back(std::move(disabled));
    } else {
      logger_.warn("config names a plugin that is not installed", {{"plugin", name}});
    }
  }
  return candidates;
}

void PluginSet::initialise(std::vector<Candidate>& candidates, const PluginSources& sources) {
  std::vector<OrderNode> nodes;
  for (const Candidate& c : candidates) {
    OrderNode node{c.opened.type, c.opened.id, {}};
    for (const std::string& r : c.opened.requirements) node.requirements.push_back(*parseRequirement(r));
    nodes.push_back(std::move(node));
  }
  std::set<std::string> disabled;
  for (const PluginRecord& r : records_)
    if (r.state == PluginState::disabled) disabled.insert(r.name());
  Ordering ordering = orderPlugins(nodes, disabled);
  for (const auto& [index, why] : ordering.failures) markFailed(candidates[index].record, why);

  for (size_t index : ordering.order) {
    Candidate& c = candidates[index];
    PluginRecord& record = records_[c.record];
    std::string name = record.name();
    std::set<std::string> required;
    std::string failedRequirement;
    for (size_t d : ordering.dependencies[index]) {
      const PluginRecord& dep = records_[candidates[d].record];
      required.insert(dep.name());
      if (dep.state != PluginState::loaded && failedRequirement.empty()) failedRequirement = dep.name();
    }
    if (!failedRequirement.empty()) {
      markFailed(c.record, "requires " + failedRequirement + ", which failed");
      continue;
    }
    PluginHost::Options options{name, c.config ? c.config->toml : "", sources.root + "/" + name,
                                sources.state + "/" + name, std::move(required)};
    try {
      fs::ensureDirectory(options.root, 0700);
      fs::ensureDirectory(options.state, 0700);
    } catch (const Error& e) {
      markFailed(c.record, e.what());
      continue;
    }
    auto host = std::make_unique<PluginHost>(std::move(options), registry_, logger_, publisher_);
    tenon_error err;
    tenon_error_init(&err);
    void* self = nullptr;
    tenon_status status = c.opened.descriptor->init(host->table(), &self, &err);
    host->endInit();
    if (status != TENON_OK) {
      registry_.removePlugin(name);
      removeIfEmpty(sources.root + "/" + name);
      removeIfEmpty(sources.state + "/" + name);
      markFailed(c.record, std::string("init failed: ") + (err.message[0] ? err.message : tenon_status_name(status)));
      continue;
    }
    record.state = PluginState::loaded;
    record.services = host->services();
    logger_.info("plugin loaded", {{"plugin", name}, {"path", record.path}});
    live_.push_back({c.record, std::move(c.opened), std::move(host), self});
  }
}

void PluginSet::markFailed(size_t record, std::string error) {
  PluginRecord& r = records_[record];
  r.state = PluginState::failed;
  r.error = std::move(error);
  logger_.warn("plugin failed", {{"plugin", r.name()}, {"path", r.path}, {"error", r.error}});
}

void PluginSet::shutdown() {
  while (!live_.empty()) {
    Live& live = live_.back();
    std::string name = records_[live.record].name();
    registry_.removePlugin(name);
    if (live.opened.descriptor->fini) live.opened.descriptor->fini(live.self);
    logger_.debug("plugin stopped", {{"plugin", name}});
    live_.pop_back();  // unloads the library after its fini
  }
}

}  // namespace tenon::plugins
