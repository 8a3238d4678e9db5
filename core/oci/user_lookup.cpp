#include "oci/user_lookup.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <tenon/error.hpp>

#include "oci/account_files.hpp"
#include "oci/rootfs_file.hpp"
#include "oci/spec_text.hpp"

namespace tenon::oci {

namespace {

// An image's account files; std::nullopt for a file the image does not have.
struct AccountFiles {
  std::optional<std::vector<PasswdEntry>> passwd;
  std::optional<std::vector<GroupEntry>> groups;
};

AccountFiles readAccountFiles(int rootfsFd) {
  AccountFiles files;
  if (auto text = readFileInRoot(rootfsFd, "etc/passwd")) files.passwd = parsePasswd(*text);
  if (auto text = readFileInRoot(rootfsFd, "etc/group")) files.groups = parseGroup(*text);
  return files;
}

// The first entry of `entries` that `matches`, or nullptr.
template <class Entry, class F>
const Entry* findEntry(const std::optional<std::vector<Entry>>& entries, F&& matches) {
  if (!entries) return nullptr;
  auto it = std::find_if(entries->begin(), entries->end(), matches);
  return it == entries->end() ? nullptr : &*it;
}

[[noreturn]] void unknownName(std::string_view kind, std::string_view name, std::string_view file, bool fileExists) {
  fail(TENON_NOT_FOUND, fmt::format("{} {} not found: {}", kind, quoted(name),
                                    fileExists ? fmt::format("no such entry in the image's {}", file)
                                               : fmt::format("the image has no {}", file)));
}

// The passwd entry of `name` (a uid or a user name), nullptr for a uid the
// image does not list. A name must be listed.
const PasswdEntry* findAccount(const AccountFiles& files, std::string_view name) {
  if (std::optional<uint32_t> uid = parseId("uid", name))
    return findEntry(files.passwd, [&](const PasswdEntry& e) { return e.uid == *uid; });
  const PasswdEntry* entry = findEntry(files.passwd, [&](const PasswdEntry& e) { return e.name == name; });
  if (!entry) unknownName("user", name, "/etc/passwd", files.passwd.has_value());
  return entry;
}

uint32_t resolveGroup(const AccountFiles& files, std::string_view group) {
  if (std::optional<uint32_t> gid = parseId("gid", group)) return *gid;
  const GroupEntry* entry = findEntry(files.groups, [&](const GroupEntry& e) { return e.name == group; });
  if (!entry) unknownName("group", group, "/etc/group", files.groups.has_value());
  return entry->gid;
}

// `gid` first, then the gids of the groups that list `account` as a member.
std::vector<uint32_t> supplementaryGids(const AccountFiles& files, const PasswdEntry* account, uint32_t gid) {
  std::vector<uint32_t> gids{gid};
  if (!account || !files.groups) return gids;
  for (const GroupEntry& group : *files.groups) {
    const auto& members = group.members;
    bool listed = std::find(members.begin(), members.end(), account->name) != members.end();
    if (listed && std::find(gids.begin(), gids.end(), group.gid) == gids.end()) gids.push_back(group.gid);
  }
  return gids;
}

}  // namespace

User resolveUser(int rootfsFd, std::string_view spec) {
  requireSpecText("user", spec);
  std::string_view name = spec.empty() ? "0" : spec;  // no USER in the image: root
  std::optional<std::string_view> group;
  if (std::size_t colon = name.find(':'); colon != std::string_view::npos) {
    group = name.substr(colon + 1);
    name = name.substr(0, colon);
  }
  if (name.empty() || (group && group->empty()))
    refuse("user", spec, "expected uid, name, uid:gid, name:group, uid:group or name:gid");
  // Parsed before any file is read: a bad id is the user's error whatever the image holds.
  std::optional<uint32_t> uid = parseId("uid", name);
  if (group) parseId("gid", *group);

  AccountFiles files = readAccountFiles(rootfsFd);
  const PasswdEntry* account = findAccount(files, name);
  User user;
  user.uid = uid ? *uid : account->uid;
  user.gid = group ? resolveGroup(files, *group) : account ? account->gid : 0;
  user.additionalGids = supplementaryGids(files, account, user.gid);
  return user;
}

User resolveUser(const std::string& rootfsDir, std::string_view user) {
  UniqueFd rootfs = openRootfs(rootfsDir);
  return resolveUser(rootfs.get(), user);
}

}  // namespace tenon::oci
