// Platforms as OCI descriptors and image configs give them (os, architecture,
// variant), normalised the way containerd does so that "x86_64" and "amd64"
// match, and the platform of the host the daemon runs on.
#pragma once

#include <string>

namespace tenon::images {

struct Platform {
  std::string os;
  std::string architecture;
  std::string variant;

  // "linux/amd64", "linux/arm/v7".
  std::string text() const;
};

// Architecture aliases folded onto OCI's names (x86_64 → amd64, aarch64 →
// arm64, armhf → arm/v7), and arm64's default variant dropped.
Platform normalize(Platform platform);

// The platform tenond was built for.
Platform hostPlatform();

// Loose matching, as for a default pull: same os and architecture, and the
// variant only when both name one.
bool matches(const Platform& wanted, const Platform& offered);

}  // namespace tenon::images
