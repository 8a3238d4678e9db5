#include "table.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <stdexcept>

namespace tenon::ctr {
namespace {

// The gap between columns, as wide as the padding of containerd's tabwriter.
constexpr size_t kGap = 4;

// Columns are measured in code points, not bytes, so that UTF-8 text stays aligned.
size_t displayWidth(const std::string& text) {
  return std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; });
}

void printRow(std::FILE* out, const std::vector<std::string>& row, const std::vector<size_t>& widths) {
  std::string line;
  for (size_t column = 0; column < row.size(); ++column) {
    line += row[column];
    if (column + 1 < row.size()) line.append(widths[column] - displayWidth(row[column]) + kGap, ' ');
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();  // empty last cells leave no trail
  fmt::print(out, "{}\n", line);
}

}  // namespace

Table::Table(std::vector<std::string> header) : header_(std::move(header)) {}

void Table::add(std::vector<std::string> row) {
  if (row.size() > header_.size()) throw std::logic_error("table row has more cells than the header");
  row.resize(header_.size());
  // A cell is one line: a newline or tab in, say, a plugin's error would break the columns.
  auto isBreak = [](char c) { return c == '\n' || c == '\r' || c == '\t'; };
  for (auto& cell : row) std::replace_if(cell.begin(), cell.end(), isBreak, ' ');
  rows_.push_back(std::move(row));
}

void Table::print(std::FILE* out) const {
  std::vector<size_t> widths(header_.size());
  for (size_t column = 0; column < header_.size(); ++column) {
    widths[column] = displayWidth(header_[column]);
    for (const auto& row : rows_) widths[column] = std::max(widths[column], displayWidth(row[column]));
  }
  printRow(out, header_, widths);
  for (const auto& row : rows_) printRow(out, row, widths);
}

}  // namespace tenon::ctr
