// Making a container the way containerd's `ctr run` does, on the client: the
// image unpacked into the snapshotter (its top chain ID), an active snapshot
// on it for the root filesystem (keyed by the container id), the OCI spec
// from the image's config and the flags (user names resolved in the image's
// own /etc/passwd), then the container record. A failure removes the
// snapshot again, so nothing is left half-made.
#pragma once

#include <string>
#include <vector>

#include "connection.hpp"
#include "container_flags.hpp"

namespace tenon::ctr {

struct NewContainer {
  std::string image;
  std::string id;
  std::vector<std::string> args;  // empty: the image's command
};

// Creates the container; prints unpack progress unless `quiet`.
void createContainer(Connection& connection, const GlobalOptions& options, const ContainerFlags& flags,
                     const NewContainer& request, bool quiet);

}  // namespace tenon::ctr
