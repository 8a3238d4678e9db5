// What the oci tests share: a throw-away root filesystem under /tmp to plant
// account files (and hostile symlinks) in, and the code/message of an Error.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <tenon/error.hpp>

#include "temp_dir.hpp"
#include "thrown_error.hpp"

namespace tenon::oci::testing {

// A root filesystem in a private directory under /tmp, removed with what it holds.
class TempRootfs : public tenon::test::TempDir {
 public:
  TempRootfs() : tenon::test::TempDir("tenon-oci-test") {}

  std::string dir() const { return path().string(); }

  // Writes `text` at `relative` (e.g. "etc/passwd"), creating parents.
  void write(const std::string& relative, const std::string& text) const {
    std::filesystem::path file = path() / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) throw std::runtime_error("cannot write " + file.string());
  }
  // Makes `relative` a symlink whose target is `target`, verbatim.
  void symlink(const std::string& relative, const std::string& target) const {
    std::filesystem::path link = path() / relative;
    std::filesystem::create_directories(link.parent_path());
    std::filesystem::create_symlink(target, link);
  }
};

using tenon::test::codeOf;

// The message of the tenon::Error that fn throws; "" when it throws none.
template <class F>
std::string messageOf(F&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace tenon::oci::testing
