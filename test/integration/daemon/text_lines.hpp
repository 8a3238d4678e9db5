// Small text helpers for asserting on program output.
#pragma once

#include <sstream>
#include <string>
#include <vector>

namespace tenon::test {

// The lines of `text`, without their '\n'.
inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> result;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) result.push_back(line);
  return result;
}

// True when `text` is exactly one non-empty line ending in '\n'.
inline bool isOneLine(const std::string& text) {
  return text.size() > 1 && text.back() == '\n' && text.find('\n') == text.size() - 1;
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Whitespace-separated words of `line`.
inline std::vector<std::string> words(const std::string& line) {
  std::vector<std::string> result;
  std::istringstream in(line);
  for (std::string word; in >> word;) result.push_back(word);
  return result;
}

}  // namespace tenon::test
