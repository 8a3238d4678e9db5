// Names the runtime turns into paths: namespaces, task and exec ids. They
// become directory names and runtime ids, so they are checked here, whoever
// the caller is: [A-Za-z0-9][A-Za-z0-9_.-]*, at most 76 bytes (the rule the
// core applies to ids), which rules out "", ".", ".." and any '/'.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <tenon/error.hpp>

namespace tenon::runtime_runc {

inline void validateName(const char* what, const std::string& name) {
  auto ok = [](char c, bool first) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    return alnum || (!first && (c == '_' || c == '.' || c == '-'));
  };
  bool valid = !name.empty() && name.size() <= 76;
  for (size_t i = 0; valid && i < name.size(); ++i) valid = ok(name[i], i == 0);
  if (!valid)
    fail(TENON_INVALID_ARGUMENT,
         std::string(what) + " \"" + name.substr(0, 80) +
             "\" is not valid: it must match [A-Za-z0-9][A-Za-z0-9_.-]* and be at most 76 bytes");
}

inline std::string taskKey(const std::string& ns, const std::string& id) { return ns + "/" + id; }

// A short, stable file name for the task's shim socket: 64-bit FNV-1a of
// "<ns>/<id>" in hex. Sockets need short paths (sun_path holds 107 bytes);
// create refuses a name whose socket is live (a collision, however unlikely).
inline std::string socketName(const std::string& ns, const std::string& id) {
  uint64_t hash = 1469598103934665603ull;
  for (unsigned char c : taskKey(ns, id)) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  char name[17];
  std::snprintf(name, sizeof name, "%016llx", static_cast<unsigned long long>(hash));
  return name;
}

}  // namespace tenon::runtime_runc
