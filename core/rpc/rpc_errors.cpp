#include "rpc/rpc_errors.hpp"

namespace tenon::rpc {

kj::Exception toKjException(tenon_status code, const std::string& message) {
  // KJ has four exception types; the vocabulary code travels in the text.
  auto type = kj::Exception::Type::FAILED;
  if (code == TENON_NOT_IMPLEMENTED) type = kj::Exception::Type::UNIMPLEMENTED;
  if (code == TENON_UNAVAILABLE) type = kj::Exception::Type::OVERLOADED;
  return kj::Exception(type, __FILE__, __LINE__,
                       kj::str(tenon_status_name(code), ": ", message.c_str()));
}

}  // namespace tenon::rpc
