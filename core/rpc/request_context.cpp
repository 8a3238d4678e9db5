#include "rpc/request_context.hpp"

#include <tenon/error.hpp>

namespace tenon::rpc {

bool isValidNamespace(std::string_view name) {
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (name.empty() || name.size() > 76 || !alnum(name.front()) || !alnum(name.back())) return false;
  for (char c : name)
    if (!alnum(c) && c != '.' && c != '_' && c != '-') return false;
  return true;
}

std::string requestNamespace(Context::Reader ctx) {
  std::string name = ctx.hasNamespace() ? std::string(ctx.getNamespace().cStr()) : "";
  return name.empty() ? std::string(kDefaultNamespace) : checkNamespace(name);
}

std::string checkNamespace(std::string_view name) {
  if (!isValidNamespace(name))
    fail(TENON_INVALID_ARGUMENT, "invalid namespace \"" + std::string(name) +
                                     "\": use lower-case letters, digits, '.', '_' and '-', "
                                     "starting and ending with a letter or digit, at most 76 characters");
  return std::string(name);
}

}  // namespace tenon::rpc
