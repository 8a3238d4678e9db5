#include <doctest/doctest.h>

#include <map>
#include <tenon/error.hpp>

#include "filters/filter.hpp"

using namespace tenon;
using namespace tenon::filters;

namespace {
bool matches(const std::vector<std::string>& filters, const std::map<std::string, std::string>& fields,
             const std::map<std::string, std::string>& labels) {
  auto lookup = labelledFields(
      [&](const std::string& f) -> std::optional<std::string> {
        auto it = fields.find(f);
        return it == fields.end() ? std::nullopt : std::optional<std::string>(it->second);
      },
      [&](const std::string& k) -> std::optional<std::string> {
        auto it = labels.find(k);
        return it == labels.end() ? std::nullopt : std::optional<std::string>(it->second);
      });
  return Filter::parse(filters).matches(lookup);
}
const std::map<std::string, std::string> kFields = {{"name", "docker.io/library/busybox:latest"}, {"size", "42"}};
const std::map<std::string, std::string> kLabels = {{"tenon.io/gc.root", ""}, {"team", "a,b"}};
}  // namespace

TEST_CASE("no filter matches everything; clauses AND, filters OR") {
  CHECK(matches({}, kFields, kLabels));
  CHECK(matches({"size==42,name~=busybox"}, kFields, kLabels));
  CHECK_FALSE(matches({"size==42,name~=alpine"}, kFields, kLabels));
  CHECK(matches({"name~=alpine", "size==42"}, kFields, kLabels));
  CHECK(matches({"size!=41"}, kFields, kLabels));
  CHECK_FALSE(matches({"size!=42"}, kFields, kLabels));
}

TEST_CASE("labels are found quoted or with dots, and by presence") {
  CHECK(matches({"labels.\"tenon.io/gc.root\""}, kFields, kLabels));
  CHECK(matches({"labels.tenon.io/gc.root"}, kFields, kLabels));
  CHECK_FALSE(matches({"labels.missing"}, kFields, kLabels));
  CHECK(matches({"labels.team==\"a,b\""}, kFields, kLabels));
  CHECK_FALSE(matches({"labels.team==a"}, kFields, kLabels));
}

TEST_CASE("malformed filters are invalid_argument") {
  for (std::string bad : {"name=x", "name==\"open", ".x==1", "name~=(", "name>3"}) {
    CAPTURE(bad);
    try {
      Filter::parse({bad});
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK(e.code() == TENON_INVALID_ARGUMENT);
    }
  }
}
