#include "oci/mount_flag.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "oci/spec_text.hpp"

namespace tenon::oci {

namespace {

// The field names containerd and docker accept, mapped to one canonical key.
std::string_view canonicalKey(std::string_view key) {
  if (key == "src") return "source";
  if (key == "dst" || key == "target") return "destination";
  return key;
}

std::map<std::string_view, std::string_view> parseFields(std::string_view text) {
  std::map<std::string_view, std::string_view> fields;
  for (std::string_view field : splitAll(text, ',')) {
    std::size_t eq = field.find('=');
    if (eq == std::string_view::npos) refuse("--mount", text, fmt::format("{} is not key=value", quoted(field)));
    std::string_view key = canonicalKey(field.substr(0, eq));
    if (key != "type" && key != "source" && key != "destination" && key != "options")
      refuse("--mount", text, fmt::format("unknown key {} (expected type, src, dst or options)", quoted(key)));
    if (!fields.emplace(key, field.substr(eq + 1)).second)
      refuse("--mount", text, fmt::format("{} is given twice", key));
  }
  return fields;
}

void requireAbsolute(std::string_view text, std::string_view key, std::string_view path) {
  if (path.empty() || path.front() != '/')
    refuse("--mount", text, fmt::format("{} {} is not an absolute path", key, quoted(path)));
}

std::vector<std::string> parseOptions(std::string_view text, std::string_view options) {
  std::vector<std::string> list;
  if (options.empty()) return list;
  for (std::string_view option : splitAll(options, ':')) {
    if (option.empty()) refuse("--mount", text, "an option is empty (options are separated by ':')");
    list.emplace_back(option);
  }
  return list;
}

}  // namespace

Mount parseMountFlag(std::string_view text) {
  requireSpecText("--mount", text);
  auto fields = parseFields(text);
  auto get = [&](std::string_view key) { return fields.contains(key) ? fields[key] : std::string_view(); };

  Mount mount{std::string(get("type")), std::string(get("source")), std::string(get("destination")),
              parseOptions(text, get("options"))};
  if (mount.type.empty()) refuse("--mount", text, "type is missing (e.g. type=bind)");
  requireAbsolute(text, "destination", mount.target);
  if (mount.type == "bind") {
    requireAbsolute(text, "source", mount.source);
    // runc tells a bind mount by the bind flag among its options, not by its type.
    auto& o = mount.options;
    if (std::find(o.begin(), o.end(), "bind") == o.end() && std::find(o.begin(), o.end(), "rbind") == o.end())
      o.push_back("rbind");
  }
  return mount;
}

}  // namespace tenon::oci
