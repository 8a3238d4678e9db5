#include <doctest/doctest.h>

#include "push/mount_sources.hpp"

using namespace tenon;
using namespace tenon::push;

namespace {

registry::Reference target(std::string domain, std::string path) {
  return {std::move(domain), std::move(path), "1", ""};
}

}  // namespace

TEST_CASE("mount sources: the other repositories of the same registry, in the label's order") {
  metadata::Labels labels{{"tenon.io/distribution.source.registry.example:5000", "team/base,team/app,,lib/x,team/base"},
                          {"tenon.io/distribution.source.docker.io", "library/busybox"}};
  CHECK(mountSources(labels, target("registry.example:5000", "team/app")) ==
        std::vector<std::string>{"team/base", "lib/x"});
  CHECK(mountSources(labels, target("docker.io", "user/busybox")) == std::vector<std::string>{"library/busybox"});
}

TEST_CASE("mount sources: none from another registry, nor from the target repository itself") {
  metadata::Labels labels{{"tenon.io/distribution.source.registry.example", "team/app"}};
  CHECK(mountSources(labels, target("registry.example:5000", "team/other")).empty());
  CHECK(mountSources(labels, target("other.example", "team/other")).empty());
  CHECK(mountSources(labels, target("registry.example", "team/app")).empty());
  CHECK(mountSources({}, target("registry.example", "team/app")).empty());
}
