// Image names as archives carry them. OCI layouts name an image with the
// org.opencontainers.image.ref.name annotation, which the spec defines as a
// tag only ("latest"), so containerd adds io.containerd.image.name with the
// full reference; docker-archives list short references ("busybox:latest")
// that Docker expands to docker.io/library/busybox:latest.
#pragma once

#include <string>
#include <string_view>

namespace tenon::transfer {

inline constexpr std::string_view kOciRefName = "org.opencontainers.image.ref.name";
inline constexpr std::string_view kContainerdImageName = "io.containerd.image.name";

// Docker's normalisation: "busybox" → "docker.io/library/busybox:latest",
// "user/app:1" → "docker.io/user/app:1", "quay.io/x/y" → "quay.io/x/y:latest".
// Throws invalid_argument for a malformed reference (registry::parseReference).
std::string normalizeDockerReference(std::string_view reference);

// Whether `refName` (an OCI ref.name annotation) is a whole reference with a
// repository ("docker.io/library/busybox:latest") rather than a bare tag ("latest").
bool isFullReference(std::string_view refName);

// The tag of `name` ("latest" for "docker.io/library/busybox:latest"), or the
// whole name when it has none: what an exported index.json puts in ref.name.
std::string refNameOf(std::string_view name);

}  // namespace tenon::transfer
