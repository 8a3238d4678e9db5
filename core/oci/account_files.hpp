// The account databases of an image: /etc/passwd and /etc/group as plain
// text (no NSS, no LDAP: a container image has nothing else), and the numeric
// ids they and `--user` hold.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tenon::oci {

struct PasswdEntry {
  std::string name;
  uint32_t uid = 0;
  uint32_t gid = 0;
};

struct GroupEntry {
  std::string name;
  uint32_t gid = 0;
  std::vector<std::string> members;
};

// The largest id we accept: 2^32-1 is (uid_t)-1, which setresuid and chown
// read as "leave unchanged", so it can never be a real owner.
inline constexpr uint32_t kMaxId = 0xfffffffe;

// std::nullopt when `text` is not a number (so it is a name); the id when it
// is a decimal number in 0..kMaxId. Throws Error(INVALID_ARGUMENT) naming
// `what` ("uid", "gid") for a negative number or one past kMaxId.
std::optional<uint32_t> parseId(std::string_view what, std::string_view text);

// Entries of /etc/passwd (name:password:uid:gid:gecos:home:shell) and
// /etc/group (name:password:gid:member,member...). Blank, comment ('#'),
// short and non-numeric lines are skipped, as glibc's files backend does:
// one bad line must not make every other account unusable.
std::vector<PasswdEntry> parsePasswd(std::string_view text);
std::vector<GroupEntry> parseGroup(std::string_view text);

}  // namespace tenon::oci
