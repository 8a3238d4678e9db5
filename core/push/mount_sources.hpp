// Cross-repository mounts: a pull labels each blob it fetched with the
// repositories it came from, per registry (pull/distribution_source.hpp):
//   tenon.io/distribution.source.registry.example:5000 = "library/base,team/app"
// A push to another repository of the same registry can then ask the
// registry to mount the blob from one of those instead of uploading it.
#pragma once

#include <string>
#include <vector>

#include "metadata/labels.hpp"
#include "registry/reference.hpp"

namespace tenon::push {

// The repositories of `target`'s registry (same domain) that `labels` say
// hold the blob, other than `target`'s own, in the label's order.
std::vector<std::string> mountSources(const metadata::Labels& labels, const registry::Reference& target);

}  // namespace tenon::push
