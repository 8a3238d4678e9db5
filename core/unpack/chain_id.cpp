#include "unpack/chain_id.hpp"

#include "transfer/sha256.hpp"

namespace tenon::unpack {

std::vector<std::string> chainIds(const std::vector<std::string>& diffIds) {
  std::vector<std::string> out;
  out.reserve(diffIds.size());
  for (const std::string& diffId : diffIds)
    out.push_back(out.empty() ? diffId : transfer::sha256Of(out.back() + " " + diffId));
  return out;
}

}  // namespace tenon::unpack
