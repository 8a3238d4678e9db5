// Chain IDs (OCI image spec config.md, "Layer ChainID"): the identity of a
// stack of layers, which names the committed snapshot holding it, so that
// images sharing their first layers share those snapshots.
//   ChainID(L0) = DiffID(L0)
//   ChainID(L0|...|Ln) = Digest(ChainID(L0|...|Ln-1) + " " + DiffID(Ln))
#pragma once

#include <string>
#include <vector>

namespace tenon::unpack {

// The chain ID of each prefix of `diffIds`: element i names layers 0..i.
std::vector<std::string> chainIds(const std::vector<std::string>& diffIds);

}  // namespace tenon::unpack
