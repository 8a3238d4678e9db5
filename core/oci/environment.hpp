// Environment variables of a container's process: "KEY=value" entries, merged
// by key the way docker and containerd do (a later source replaces an earlier
// value in place; new keys are appended in order).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tenon::oci {

// The PATH a process gets when neither the image nor the user sets one
// (containerd's and docker's default).
inline constexpr std::string_view kDefaultPath =
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// Refuses (INVALID_ARGUMENT, naming `source`, e.g. "--env" or "image Env entry")
// an entry without '=', with an empty key, a NUL byte or bytes that are not UTF-8.
void validateEnvEntry(std::string_view source, std::string_view entry);

// Applies `overrides` to `env`: an entry whose key is already there replaces
// it where it stands, others are appended. Both lists must be validated.
void mergeEnv(std::vector<std::string>& env, const std::vector<std::string>& overrides);

}  // namespace tenon::oci
