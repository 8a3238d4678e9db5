#include "cgroup_text.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

namespace tenon::metrics_cgroup {

namespace {

std::optional<uint64_t> toNumber(std::string_view word) {
  uint64_t value = 0;
  auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), value);
  if (error != std::errc() || end != word.data() + word.size()) return std::nullopt;
  return value;
}

// The whitespace-separated words of `text`, line by line.
std::vector<std::vector<std::string>> wordsByLine(std::string_view text) {
  std::vector<std::vector<std::string>> lines;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::vector<std::string> row;
    for (std::string word; words >> word;) row.push_back(word);
    if (!row.empty()) lines.push_back(std::move(row));
  }
  return lines;
}

}  // namespace

std::optional<std::string> readCgroupFile(const std::filesystem::path& dir, const std::string& name) {
  std::ifstream in(dir / name);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  // A read error (ENODEV once the cgroup is being removed) is a missing value, not a zero.
  if (in.bad()) return std::nullopt;
  return std::move(text).str();
}

std::optional<uint64_t> parseSingle(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  return toNumber(text);
}

std::map<std::string, uint64_t> parseFlatKeyed(std::string_view text) {
  std::map<std::string, uint64_t> out;
  for (const auto& words : wordsByLine(text))
    if (words.size() == 2)
      if (auto value = toNumber(words[1])) out[words[0]] = *value;
  return out;
}

std::vector<uint64_t> parseSpaceSeparated(std::string_view text) {
  std::vector<uint64_t> out;
  for (const auto& words : wordsByLine(text))
    for (const auto& word : words)
      if (auto value = toNumber(word)) out.push_back(*value);
  return out;
}

std::vector<DeviceValue> parseBlkioV1(std::string_view text) {
  std::vector<DeviceValue> out;
  for (const auto& words : wordsByLine(text))
    if (words.size() == 3)
      if (auto value = toNumber(words[2])) out.push_back({words[0], words[1], *value});
  return out;
}

std::vector<DeviceValue> parseIoStatV2(std::string_view text) {
  std::vector<DeviceValue> out;
  for (const auto& words : wordsByLine(text))
    for (size_t i = 1; i < words.size(); ++i) {
      size_t eq = words[i].find('=');
      if (eq == std::string::npos) continue;
      if (auto value = toNumber(std::string_view(words[i]).substr(eq + 1)))
        out.push_back({words[0], words[i].substr(0, eq), *value});
    }
  return out;
}

std::optional<double> parseCpuMax(std::string_view text) {
  auto lines = wordsByLine(text);
  if (lines.size() != 1 || lines[0].size() != 2) return std::nullopt;
  auto quota = toNumber(lines[0][0]);
  auto period = toNumber(lines[0][1]);
  if (!quota || !period || *period == 0) return std::nullopt;
  return static_cast<double>(*quota) / static_cast<double>(*period);
}

}  // namespace tenon::metrics_cgroup
