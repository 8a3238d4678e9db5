#include "pull/platform_selection.hpp"

#include <tenon/error.hpp>

#include "images/media_types.hpp"

namespace tenon::pull {

PlatformSelection::PlatformSelection(const std::vector<std::string>& platforms, bool all) : all_(all) {
  if (platforms.empty()) wanted_.push_back(unpack::choosePlatform(""));
  for (const std::string& text : platforms) wanted_.push_back(unpack::choosePlatform(text));
  found_.assign(wanted_.size(), false);
}

std::vector<images::ManifestEntry> PlatformSelection::choose(const images::IndexDocument& index) {
  std::vector<images::ManifestEntry> chosen;
  for (const images::ManifestEntry& entry : index.manifests) {
    bool nested = images::media_types::isIndex(entry.descriptor.mediaType);
    if (!entry.platform) {
      chosen.push_back(entry);
      if (!nested) found_.assign(found_.size(), true);
      continue;
    }
    if (std::string text = images::normalize(*entry.platform).text(); seen_.insert(text).second)
      offered_.push_back(text);
    bool take = all_;
    for (std::size_t i = 0; i < wanted_.size(); ++i) {
      if (!wanted_[i].accepts(*entry.platform)) continue;
      // A nested index may hold the platform's manifest; a manifest settles it.
      if (nested) take = true;
      else if (!found_[i]) take = found_[i] = true;
    }
    if (take) chosen.push_back(entry);
  }
  return chosen;
}

void PlatformSelection::checkFound(const std::string& reference) const {
  // With every platform asked for, a platform the host cannot run is no error.
  if (all_) return;
  for (std::size_t i = 0; i < wanted_.size(); ++i) {
    if (found_[i]) continue;
    std::string has;
    for (const std::string& text : offered_) has += (has.empty() ? "" : ", ") + text;
    fail(TENON_NOT_FOUND, reference + ": no manifest for " + wanted_[i].text() + " (the index has: " +
                              (has.empty() ? "no platforms" : has) + ")");
  }
}

}  // namespace tenon::pull
