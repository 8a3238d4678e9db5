// A private directory under /tmp for one test, removed with all it holds when
// the TempDir goes away.
#pragma once

#include <filesystem>
#include <string>

namespace tenon::test {

class TempDir {
 public:
  // Creates /tmp/<prefix>-XXXXXX (mode 0700); throws std::system_error on failure.
  explicit TempDir(const std::string& prefix = "tenon-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // path() / name, as a string: what configs and argv want.
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Writes `text` to `file`, replacing it; throws std::runtime_error on failure.
void writeFile(const std::filesystem::path& file, const std::string& text);
// The whole content of `file`, "" when it cannot be read.
std::string readFile(const std::filesystem::path& file);

}  // namespace tenon::test
