#include "transfer/image_names.hpp"

namespace tenon::transfer {

std::string normalizeDockerReference(std::string_view reference) {
  std::string domain = "docker.io";
  std::string path(reference);
  if (std::size_t slash = reference.find('/'); slash != std::string_view::npos) {
    std::string_view first = reference.substr(0, slash);
    // Docker's rule: the first component is a registry host when it looks like one.
    if (first.find('.') != std::string_view::npos || first.find(':') != std::string_view::npos ||
        first == "localhost") {
      domain = first;
      path = reference.substr(slash + 1);
    }
  }
  if (domain == "index.docker.io") domain = "docker.io";
  if (domain == "docker.io" && path.find('/') == std::string::npos) path = "library/" + path;
  std::string last = path.substr(path.rfind('/') + 1);
  if (last.find(':') == std::string::npos && last.find('@') == std::string::npos) path += ":latest";
  return domain + "/" + path;
}

bool isFullReference(std::string_view refName) {
  return refName.find('/') != std::string_view::npos || refName.find(':') != std::string_view::npos ||
         refName.find('@') != std::string_view::npos;
}

std::string refNameOf(std::string_view name) {
  if (name.find('@') != std::string_view::npos) return std::string(name);
  std::size_t colon = name.rfind(':');
  std::size_t slash = name.rfind('/');
  if (colon == std::string_view::npos || (slash != std::string_view::npos && colon < slash)) return std::string(name);
  return std::string(name.substr(colon + 1));
}

}  // namespace tenon::transfer
