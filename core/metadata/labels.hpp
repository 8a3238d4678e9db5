// Labels: the free-form key/value pairs every record carries.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace tenon::metadata {

using Labels = std::map<std::string, std::string>;

// One entry of an update's field list, as containerd's update masks read it:
// "labels" takes all of `wanted`'s labels, "labels.<key>" takes that one
// (removed when `wanted` lacks it) on top of `current`'s. Fills `change`;
// false when `field` is not about labels.
inline bool applyLabelField(const std::string& field, const Labels& current, const Labels& wanted,
                            std::optional<Labels>& change) {
  constexpr std::string_view prefix = "labels.";
  if (field == "labels") {
    change = wanted;
    return true;
  }
  if (!field.starts_with(prefix) || field.size() == prefix.size()) return false;
  if (!change) change = current;
  std::string key = field.substr(prefix.size());
  if (auto it = wanted.find(key); it != wanted.end())
    (*change)[key] = it->second;
  else
    change->erase(key);
  return true;
}

}  // namespace tenon::metadata
