// Labels between the RPC schema's List(Label) and the records' map.
#pragma once

#include <capnp/list.h>

#include <map>
#include <string>

#include "common.capnp.h"

namespace tenon::rpc {

inline std::map<std::string, std::string> fromRpc(capnp::List<Label>::Reader labels) {
  std::map<std::string, std::string> out;
  for (Label::Reader label : labels) out[label.getKey().cStr()] = label.getValue().cStr();
  return out;
}

inline void toRpc(const std::map<std::string, std::string>& labels, capnp::List<Label>::Builder out) {
  size_t i = 0;
  for (const auto& [key, value] : labels) {
    out[i].setKey(key.c_str());
    out[i].setValue(value.c_str());
    ++i;
  }
}

}  // namespace tenon::rpc
