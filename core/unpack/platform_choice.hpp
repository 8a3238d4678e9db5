// Which platform's manifest an unpack takes from an index: by default the
// host's, matched loosely (images::matches: a variant counts only when both
// sides name one), like a default pull; or the one a client names, strictly
// (os and architecture equal, and the variant too when it names one).
#pragma once

#include <string>
#include <string_view>

#include "images/platform.hpp"

namespace tenon::unpack {

struct PlatformChoice {
  images::Platform platform;
  bool strict = false;

  bool accepts(const images::Platform& offered) const;
  std::string text() const { return platform.text(); }
};

// "" for the host's platform; otherwise "os/arch[/variant]" (normalised:
// x86_64 is amd64). Throws invalid_argument naming a malformed one.
PlatformChoice choosePlatform(std::string_view text);

}  // namespace tenon::unpack
