// Which manifests of an index (or Docker manifest list) a pull fetches: by
// default the host's platform, matched loosely (images::matches), as a
// default `docker pull`; the platforms a client names, each matched strictly
// (unpack::PlatformChoice); or every manifest (--all-platforms). For each
// wanted platform the first manifest it accepts is taken, as containerd
// limits a platform to one manifest. Entries without a platform are taken
// (a nested index, or a manifest that claims no platform), as unpack does.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "images/image_documents.hpp"
#include "unpack/platform_choice.hpp"

namespace tenon::pull {

class PlatformSelection {
 public:
  // `platforms` "os/arch[/variant]" (throws invalid_argument naming a malformed one).
  PlatformSelection(const std::vector<std::string>& platforms, bool all);

  // The entries of `index` to fetch; call it for nested indexes too, in walk order.
  std::vector<images::ManifestEntry> choose(const images::IndexDocument& index);
  // Throws not_found "REFERENCE: no manifest for linux/amd64 (the index has:
  // linux/arm64, ...)" for a wanted platform that no index chosen from offered.
  void checkFound(const std::string& reference) const;

 private:
  std::vector<unpack::PlatformChoice> wanted_;
  std::vector<bool> found_;  // per wanted platform
  bool all_;
  std::vector<std::string> offered_;  // platforms the indexes named, in order, once each
  std::set<std::string> seen_;
};

}  // namespace tenon::pull
