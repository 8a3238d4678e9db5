// The context every request carries: checked once, at the RPC edge.
#pragma once

#include <string>
#include <string_view>

#include "common.capnp.h"

namespace tenon::rpc {

inline constexpr std::string_view kDefaultNamespace = "default";

// Whether `name` is a valid namespace: [a-z0-9]([a-z0-9._-]*[a-z0-9])?, at most 76 bytes.
bool isValidNamespace(std::string_view name);

// Returns `name` when it is a valid namespace; throws invalid_argument saying why not.
std::string checkNamespace(std::string_view name);

// The request's namespace ("default" when empty); throws invalid_argument for a bad one.
std::string requestNamespace(Context::Reader ctx);

// The lease the request names, "" for none (checked where it is used).
inline std::string requestLease(Context::Reader ctx) { return ctx.hasLease() ? ctx.getLease().cStr() : ""; }

}  // namespace tenon::rpc
