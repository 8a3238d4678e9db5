#include "image_reference.hpp"

#include <tenon/error.hpp>

#include "registry/reference.hpp"

namespace tenon::ctr {

std::string imageName(const std::string& name) {
  try {
    return registry::parseReference(name).text();
  } catch (const Error&) {
    return name;
  }
}

}  // namespace tenon::ctr
