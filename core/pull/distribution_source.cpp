#include "pull/distribution_source.hpp"

#include "metadata/content_records.hpp"
#include "metadata/validation.hpp"

namespace tenon::pull {

std::string distributionSourceKey(std::string_view domain) {
  return std::string(kDistributionSourcePrefix) + std::string(domain);
}

std::string mergeDistributionSource(std::string_view existing, std::string_view path) {
  std::set<std::string_view> paths{path};
  for (std::size_t start = 0; start <= existing.size();) {
    std::size_t end = existing.find(',', start);
    if (end == std::string_view::npos) end = existing.size();
    if (end > start) paths.insert(existing.substr(start, end - start));
    start = end + 1;
  }
  std::string merged;
  for (std::string_view p : paths) {
    if (!merged.empty()) merged += ',';
    merged += p;
  }
  return merged;
}

void labelDistributionSource(metadata::WriteTx& tx, std::string_view ns, const std::set<std::string>& digests,
                             const registry::Reference& reference) {
  namespace records = metadata::content_records;
  std::string key = distributionSourceKey(reference.domain);
  for (const std::string& digest : digests) {
    std::optional<metadata::ContentRecord> record = records::find(tx, ns, digest);
    if (!record) continue;
    metadata::Labels labels = record->labels;
    auto it = labels.find(key);
    std::string value = mergeDistributionSource(it == labels.end() ? "" : it->second, reference.path);
    if (key.size() + value.size() > metadata::kMaxLabelBytes) continue;
    if (it != labels.end() && it->second == value) continue;
    labels[key] = value;
    records::setLabels(tx, ns, digest, labels);
  }
}

}  // namespace tenon::pull
