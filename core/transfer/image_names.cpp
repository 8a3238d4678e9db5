#include "transfer/image_names.hpp"

#include "registry/reference.hpp"

namespace tenon::transfer {

// Throws invalid_argument naming the reference when it is not one.
std::string normalizeDockerReference(std::string_view reference) { return registry::parseReference(reference).text(); }

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
