// The `process` part of an OCI runtime spec: what runs, as whom, with which
// environment, directory, capabilities and limits. Alone, it is what
// `ctr tasks exec` sends for an extra process in a running container.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "oci/image_config.hpp"
#include "oci/spec_options.hpp"
#include "oci/user_lookup.hpp"

namespace tenon::oci {

// The command line: the entrypoint (the user's or the image's) followed by
// the user's args or, without them, the image's Cmd. A user entrypoint drops
// the image's Cmd, as docker does. Throws Error(INVALID_ARGUMENT) when the
// result is empty ("no command") or an argument holds a NUL or non-UTF-8 byte.
std::vector<std::string> processArgs(const ImageConfig& image, const SpecOptions& options);

// The environment: PATH (kDefaultPath) and, for a terminal, TERM=xterm, then
// the image's Env, then the user's env, each replacing earlier values by key.
// Throws Error(INVALID_ARGUMENT) naming a user entry that is not KEY=value.
std::vector<std::string> processEnv(const ImageConfig& image, const SpecOptions& options);

// The working directory: --cwd, else the image's WorkingDir, else "/".
// Throws Error(INVALID_ARGUMENT) when it is relative or under /proc.
std::string processCwd(const ImageConfig& image, const SpecOptions& options);

// The whole `process` object: the above, `user`, options.terminal, the
// default capabilities (currentCapabilities() when privileged) in the bounding,
// effective and permitted sets with inheritable and ambient empty,
// RLIMIT_NOFILE 1024, and noNewPrivileges unless privileged.
nlohmann::json processSpec(const ImageConfig& image, const SpecOptions& options, const User& user);

}  // namespace tenon::oci
