#include "oci/environment.hpp"

#include <algorithm>

#include "oci/spec_text.hpp"

namespace tenon::oci {

namespace {
std::string_view keyOf(std::string_view entry) { return entry.substr(0, entry.find('=')); }
}  // namespace

void validateEnvEntry(std::string_view source, std::string_view entry) {
  requireSpecText(source, entry);
  std::size_t eq = entry.find('=');
  // A bare "KEY" means "unset" to some tools and "copy from the host" to others;
  // refusing it keeps the host's environment out of the container.
  if (eq == std::string_view::npos) refuse(source, entry, "expected KEY=VALUE");
  if (eq == 0) refuse(source, entry, "the key is empty");
}

void mergeEnv(std::vector<std::string>& env, const std::vector<std::string>& overrides) {
  for (const std::string& entry : overrides) {
    auto same = std::find_if(env.begin(), env.end(),
                             [&](const std::string& e) { return keyOf(e) == keyOf(entry); });
    if (same != env.end()) {
      *same = entry;
    } else {
      env.push_back(entry);
    }
  }
}

}  // namespace tenon::oci
