#include "push/mount_sources.hpp"

#include <algorithm>

#include "pull/distribution_source.hpp"

namespace tenon::push {

std::vector<std::string> mountSources(const metadata::Labels& labels, const registry::Reference& target) {
  std::vector<std::string> sources;
  auto label = labels.find(pull::distributionSourceKey(target.domain));
  if (label == labels.end()) return sources;
  const std::string& paths = label->second;
  for (std::size_t start = 0; start <= paths.size();) {
    std::size_t end = std::min(paths.find(',', start), paths.size());
    std::string path = paths.substr(start, end - start);
    bool fresh = std::find(sources.begin(), sources.end(), path) == sources.end();
    if (!path.empty() && path != target.path && fresh) sources.push_back(std::move(path));
    start = end + 1;
  }
  return sources;
}

}  // namespace tenon::push
