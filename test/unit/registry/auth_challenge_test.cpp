#include <doctest/doctest.h>

#include "registry/auth_challenge.hpp"
#include "registry/authorizer.hpp"

using namespace tenon::registry;

TEST_CASE("registry challenge: a Bearer challenge gives its realm, service and scope unquoted") {
  auto challenges = parseAuthChallenges(
      R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull")");
  REQUIRE(challenges.size() == 1);
  CHECK(challenges[0].scheme == "bearer");
  CHECK(challenges[0].param("realm") == "https://auth.docker.io/token");
  CHECK(challenges[0].param("service") == "registry.docker.io");
  CHECK(challenges[0].param("scope") == "repository:library/busybox:pull");
  CHECK(challenges[0].param("error") == "");
}

TEST_CASE("registry challenge: quoted values keep their commas and escapes, tokens and spacing vary") {
  auto challenges = parseAuthChallenges(
      R"(BEARER Realm = "https://a/t?x=1,2" ,  service=reg.example, scope="repository:a:pull,push repository:b:pull", error="say \"no\"")");
  REQUIRE(challenges.size() == 1);
  CHECK(challenges[0].scheme == "bearer");
  CHECK(challenges[0].param("realm") == "https://a/t?x=1,2");
  CHECK(challenges[0].param("service") == "reg.example");
  CHECK(challenges[0].param("scope") == "repository:a:pull,push repository:b:pull");
  CHECK(challenges[0].param("error") == "say \"no\"");
}

TEST_CASE("registry challenge: several challenges in one header are told apart") {
  auto challenges = parseAuthChallenges(R"(Basic realm="Registry Realm", Bearer realm="https://t/token",service="s")");
  REQUIRE(challenges.size() == 2);
  CHECK(challenges[0].scheme == "basic");
  CHECK(challenges[0].param("realm") == "Registry Realm");
  CHECK(challenges[0].params.size() == 1);
  CHECK(challenges[1].scheme == "bearer");
  CHECK(challenges[1].param("realm") == "https://t/token");
  CHECK(challenges[1].param("service") == "s");
}

TEST_CASE("registry challenge: bare schemes, garbage and unterminated quotes do not stop the parse") {
  auto bare = parseAuthChallenges("Negotiate, Basic");
  REQUIRE(bare.size() == 2);
  CHECK(bare[0].scheme == "negotiate");
  CHECK(bare[1].scheme == "basic");
  CHECK(parseAuthChallenges("").empty());
  CHECK(parseAuthChallenges("  ,, ").empty());
  auto odd = parseAuthChallenges(R"(== Bearer realm="https://t/unterminated)");
  REQUIRE(odd.size() == 1);
  CHECK(odd[0].scheme == "bearer");
  CHECK(odd[0].param("realm") == "https://t/unterminated");
}

TEST_CASE("registry token scope: actions merge per resource, in a stable order") {
  TokenScope scope("repository:b/c:push repository:a:pull");
  scope.add("repository:b/c:pull");
  scope.add("repository:b/c:push,pull registry:catalog:*");
  CHECK(scope.list() == std::vector<std::string>{"registry:catalog:*", "repository:a:pull", "repository:b/c:pull,push"});
  CHECK(TokenScope("").list().empty());
}
