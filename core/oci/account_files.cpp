#include "oci/account_files.hpp"

#include <charconv>

#include "oci/spec_text.hpp"

namespace tenon::oci {

namespace {

// Calls `fn` with the ':'-separated fields of each line worth reading.
template <class F>
void forEachRecord(std::string_view text, std::size_t minFields, F&& fn) {
  for (std::string_view line : splitAll(text, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string_view> fields = splitAll(line, ':');
    if (fields.size() >= minFields && !fields[0].empty()) fn(fields);
  }
}

// The value of a decimal number in 0..kMaxId; std::nullopt for anything else.
std::optional<uint32_t> idValue(std::string_view text) {
  uint64_t value = 0;
  const char* last = text.data() + text.size();
  auto [end, ec] = std::from_chars(text.data(), last, value);  // no sign, no spaces
  if (text.empty() || ec != std::errc() || end != last || value > kMaxId) return std::nullopt;
  return static_cast<uint32_t>(value);
}

bool looksNumeric(std::string_view text) {
  if (!text.empty() && text.front() == '-') text.remove_prefix(1);
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

std::optional<uint32_t> parseId(std::string_view what, std::string_view text) {
  if (!looksNumeric(text)) return std::nullopt;
  std::optional<uint32_t> id = idValue(text);
  if (!id) refuse(what, text, "must be a number from 0 to 4294967294");
  return id;
}

std::vector<PasswdEntry> parsePasswd(std::string_view text) {
  std::vector<PasswdEntry> entries;
  forEachRecord(text, 4, [&](const std::vector<std::string_view>& f) {
    std::optional<uint32_t> uid = idValue(f[2]), gid = idValue(f[3]);
    if (uid && gid) entries.push_back({std::string(f[0]), *uid, *gid});
  });
  return entries;
}

std::vector<GroupEntry> parseGroup(std::string_view text) {
  std::vector<GroupEntry> entries;
  forEachRecord(text, 3, [&](const std::vector<std::string_view>& f) {
    std::optional<uint32_t> gid = idValue(f[2]);
    if (!gid) return;
    GroupEntry entry{std::string(f[0]), *gid, {}};
    if (f.size() > 3 && !f[3].empty())
      for (std::string_view member : splitAll(f[3], ',')) entry.members.emplace_back(member);
    entries.push_back(std::move(entry));
  });
  return entries;
}

}  // namespace tenon::oci
