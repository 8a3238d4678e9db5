// Chain IDs against values computed independently (coreutils sha256sum over
// "<chain> <diff_id>", the OCI image spec's formula).
#include <doctest/doctest.h>

#include "unpack/chain_id.hpp"

using tenon::unpack::chainIds;

namespace {

const std::string kDiff0 = "sha256:fe441d6673b17f3bb674a3ef8331432bf90a1061ad3bd25e8c0d1354d183eb73";
const std::string kDiff1 = "sha256:f191e625176e7514249870c60bc24622131b04927a418001d1969c9cecd260f1";
const std::string kDiff2 = "sha256:77c7ed05b2e49df2e55d70cb007508cc66b2f5419a940bfd6f8749ba7db77c45";

}  // namespace

TEST_CASE("the chain ID of a single layer is its diff_id") {
  CHECK(chainIds({kDiff0}) == std::vector<std::string>{kDiff0});
}

TEST_CASE("each further chain ID is sha256 of the chain below, a space and the layer's diff_id") {
  std::vector<std::string> chain = chainIds({kDiff0, kDiff1, kDiff2});
  REQUIRE(chain.size() == 3);
  CHECK(chain[0] == kDiff0);
  CHECK(chain[1] == "sha256:e86b76bd7457817dc7204071aa7117aa3984dd5fccfcd6a8c36eb304b89de693");
  CHECK(chain[2] == "sha256:010d5c3e3c4bc3ec8663cb4799007c28f4b7955b0b2d8abc1e2fbe47e620878b");
}

TEST_CASE("no layers, no chain IDs") { CHECK(chainIds({}).empty()); }
