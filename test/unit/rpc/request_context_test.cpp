#include <doctest/doctest.h>

#include <capnp/message.h>
#include <tenon/error.hpp>

#include "rpc/request_context.hpp"

using namespace tenon;

namespace {
std::string resolve(const char* name) {
  capnp::MallocMessageBuilder message;
  auto ctx = message.initRoot<rpc::Context>();
  if (name) ctx.setNamespace(name);
  return rpc::requestNamespace(ctx.asReader());
}
}  // namespace

TEST_CASE("an absent or empty namespace means default") {
  CHECK(resolve(nullptr) == "default");
  CHECK(resolve("") == "default");
  CHECK(resolve("team-a.prod_1") == "team-a.prod_1");
}

TEST_CASE("a malformed namespace is invalid_argument") {
  for (const char* bad : {"..", "../etc", "Upper", "-lead", "trail-", "a/b", "a b"}) {
    CAPTURE(bad);
    try {
      resolve(bad);
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK(e.code() == TENON_INVALID_ARGUMENT);
    }
  }
  CHECK_THROWS_AS(resolve(std::string(77, 'a').c_str()), Error);
}
