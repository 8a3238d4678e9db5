// The parts of an OCI image config (image-spec config.md, its "config" object)
// that shape a container's process. ExposedPorts, Volumes, Healthcheck and the
// rootfs/history sections do not: they are ignored.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace tenon::oci {

struct ImageConfig {
  std::vector<std::string> entrypoint;  // Entrypoint: the command prefix
  std::vector<std::string> cmd;         // Cmd: default arguments, replaced by the user's
  std::vector<std::string> env;         // Env: "KEY=value" entries, validated
  std::string workingDir;               // WorkingDir; "" when the image sets none
  std::string user;                     // User ("uid", "name:group"...); "" for root
  std::string stopSignal;               // StopSignal ("SIGTERM", "15"...); "" for the default
  std::map<std::string, std::string> labels;

  bool operator==(const ImageConfig&) const = default;
};

// Parses an image config blob. Absent or null fields are empty. Throws
// Error(INVALID_ARGUMENT) naming the field when the text is not JSON, a field
// has the wrong type, or an Env entry is not KEY=value.
ImageConfig parseImageConfig(std::string_view json);

}  // namespace tenon::oci
