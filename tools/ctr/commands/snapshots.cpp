// `ctr snapshots`: prepare, view, commit, mount, list (as a table or a tree),
// inspect and remove the snapshots of one snapshotter (--snapshotter, default overlayfs).
#include <fmt/core.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../commands.hpp"
#include "../connection.hpp"
#include "../human.hpp"
#include "../json_output.hpp"
#include "../labels.hpp"
#include "../list_format.hpp"
#include "../remove_command.hpp"
#include "snapshots.capnp.h"

namespace tenon::ctr {
namespace {

using Snapshotter = std::shared_ptr<std::string>;

rpc::Snapshots::Client snapshotsService(Connection& connection, const std::string& snapshotter) {
  auto request = connection.tenon().snapshotsRequest();
  request.setName(snapshotter);
  return request.send().getService();
}

// Quotes `word` for a POSIX shell when it needs it.
std::string shellQuote(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                              "@%+=:,./_-") == std::string::npos)
    return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Like containerd's ctr: one `mount -t TYPE SOURCE TARGET -o OPTS` line per mount.
void printMounts(capnp::List<rpc::Mount>::Reader mounts, const std::string& target) {
  for (auto mount : mounts) {
    std::string options;
    for (auto option : mount.getOptions()) options += (options.empty() ? "" : ",") + toString(option);
    std::string line = fmt::format("mount -t {} {} {}", shellQuote(toString(mount.getType())),
                                   shellQuote(toString(mount.getSource())), shellQuote(target));
    if (!options.empty()) line += " -o " + shellQuote(options);
    fmt::print("{}\n", line);
  }
}

const char* kindName(rpc::Kind kind) {
  switch (kind) {
    case rpc::Kind::VIEW: return "View";
    case rpc::Kind::ACTIVE: return "Active";
    case rpc::Kind::COMMITTED: return "Committed";
    default: return "Unknown";
  }
}

Json infoJson(rpc::Info::Reader info) {
  return {{"name", toString(info.getName())},
          {"parent", toString(info.getParent())},
          {"kind", kindName(info.getKind())},
          {"labels", toJson(fromRpc(info.getLabels()))},
          {"created", rfc3339(info.getCreatedAt())},
          {"updated", rfc3339(info.getUpdatedAt())}};
}

void addCreate(CLI::App& parent, const GlobalOptions& options, const Snapshotter& snapshotter, bool active) {
  struct Args {
    std::string key, parentKey, target;
    std::vector<std::string> labels;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = parent.add_subcommand(active ? "prepare" : "view",
                                        active ? "Prepare an active (writable) snapshot"
                                               : "Create a read-only view of a committed snapshot");
  cmd->add_option("key", args->key, "The new snapshot's key")->required();
  cmd->add_option("parent", args->parentKey, "The committed parent's key")->required(!active);
  cmd->add_option("--target", args->target, "Print the mount commands for this target");
  cmd->add_option("--label", args->labels, "Labels as KEY=VALUE");
  cmd->callback([&options, snapshotter, args, active] {
    Labels labels = parseLabels(args->labels);
    Connection connection(options);
    auto service = snapshotsService(connection, *snapshotter);
    auto fill = [&](auto request) {
      connection.setContext(request.initCtx());
      request.setKey(args->key);
      request.setParent(args->parentKey);
      toRpc(labels, request.initLabels(labels.size()));
      auto response = connection.wait(request.send());
      if (!args->target.empty()) printMounts(response.getMounts(), args->target);
    };
    if (active) fill(service.prepareRequest());
    else fill(service.viewRequest());
  });
}

void addCommit(CLI::App& parent, const GlobalOptions& options, const Snapshotter& snapshotter) {
  struct Args {
    std::string name, key;
    std::vector<std::string> labels;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = parent.add_subcommand("commit", "Commit an active snapshot under a new name");
  cmd->add_option("name", args->name, "The committed snapshot's name")->required();
  cmd->add_option("key", args->key, "The active snapshot's key")->required();
  cmd->add_option("--label", args->labels, "Labels as KEY=VALUE");
  cmd->callback([&options, snapshotter, args] {
    Labels labels = parseLabels(args->labels);
    Connection connection(options);
    auto request = snapshotsService(connection, *snapshotter).commitRequest();
    connection.setContext(request.initCtx());
    request.setName(args->name);
    request.setKey(args->key);
    toRpc(labels, request.initLabels(labels.size()));
    connection.wait(request.send());
  });
}

void addMounts(CLI::App& parent, const GlobalOptions& options, const Snapshotter& snapshotter) {
  struct Args {
    std::string target, key;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = parent.add_subcommand("mounts", "Print the mount commands of an active snapshot or view");
  cmd->alias("m");
  cmd->add_option("target", args->target, "Where the commands mount it")->required();
  cmd->add_option("key", args->key, "The snapshot's key")->required();
  cmd->callback([&options, snapshotter, args] {
    Connection connection(options);
    auto request = snapshotsService(connection, *snapshotter).mountsRequest();
    connection.setContext(request.initCtx());
    request.setKey(args->key);
    printMounts(connection.wait(request.send()).getMounts(), args->target);
  });
}

void addList(CLI::App& parent, const GlobalOptions& options, const Snapshotter& snapshotter) {
  auto format = std::make_shared<ListFormat>();
  auto filters = std::make_shared<std::vector<std::string>>();
  CLI::App* ls = parent.add_subcommand("ls", "List snapshots");
  ls->alias("list");
  addListFormatOptions(*ls, *format, "Print only the keys, one per line");
  ls->add_option("filters", *filters, "Filters such as kind==committed, parent==x or labels.k==v");
  ls->callback([&options, snapshotter, format, filters] {
    Connection connection(options);
    auto request = snapshotsService(connection, *snapshotter).listRequest();
    connection.setContext(request.initCtx());
    auto list = request.initFilters(filters->size());
    for (size_t i = 0; i < filters->size(); ++i) list.set(i, (*filters)[i]);
    auto response = connection.wait(request.send());
    ListOutput output(*format, {"KEY", "PARENT", "KIND"});
    for (auto info : response.getInfos()) {
      std::string key = toString(info.getName());
      output.add(key, infoJson(info), {key, toString(info.getParent()), kindName(info.getKind())});
    }
    output.print();
  });
}

// Prints snapshots as containerd's `ctr snapshots tree` does: each root at
// the left margin after one space, each child under its parent two spaces
// further in, behind "\_". Roots and siblings in name order; a snapshot
// whose parent is not listed counts as a root, so nothing is left out.
void printTree(const std::map<std::string, std::string>& parentOf) {
  std::map<std::string, std::vector<std::string>> children;
  std::vector<std::pair<std::string, size_t>> pending;  // name, depth; a stack, so deep chains need no recursion
  for (auto it = parentOf.rbegin(); it != parentOf.rend(); ++it) {
    if (parentOf.contains(it->second)) children[it->second].push_back(it->first);
    else pending.emplace_back(it->first, 0);
  }
  while (!pending.empty()) {
    auto [name, depth] = std::move(pending.back());
    pending.pop_back();
    std::string indent(2 * depth, ' ');
    fmt::print("{}{} {}\n", indent, depth > 0 ? "\\_" : "", name);
    for (const std::string& child : children[name]) pending.emplace_back(child, depth + 1);
  }
}

void addTree(CLI::App& parent, const GlobalOptions& options, const Snapshotter& snapshotter) {
  CLI::App* cmd = parent.add_subcommand("tree", "Print the snapshots as a tree, children under their parent");
  cmd->callback([&options, snapshotter] {
    Connection connection(options);
    auto request = snapshotsService(connection, *snapshotter).listRequest();
    connection.setContext(request.initCtx());
    std::map<std::string, std::string> parentOf;
    for (auto info : connection.wait(request.send()).getInfos())
      parentOf[toString(info.getName())] = toString(info.getParent());
    printTree(parentOf);
  });
}

void addInfo(CLI::App& parent, const GlobalOptions& options, const Snapshotter& snapshotter) {
  auto key = std::make_shared<std::string>();
  CLI::App* cmd = parent.add_subcommand("info", "Print a snapshot's information as JSON");
  cmd->add_option("key", *key, "The snapshot's key")->required();
  cmd->callback([&options, snapshotter, key] {
    Connection connection(options);
    auto request = snapshotsService(connection, *snapshotter).statRequest();
    connection.setContext(request.initCtx());
    request.setKey(*key);
    printJson(infoJson(connection.wait(request.send()).getInfo()));
  });
}

void addUsage(CLI::App& parent, const GlobalOptions& options, const Snapshotter& snapshotter) {
  auto keys = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = parent.add_subcommand("usage", "Print the disk use of snapshots (all when no key is given)");
  cmd->add_option("keys", *keys, "The snapshots' keys");
  cmd->callback([&options, snapshotter, keys] {
    Connection connection(options);
    auto service = snapshotsService(connection, *snapshotter);
    std::vector<std::string> wanted = *keys;
    if (wanted.empty()) {
      auto request = service.listRequest();
      connection.setContext(request.initCtx());
      auto response = connection.wait(request.send());
      for (auto info : response.getInfos()) wanted.push_back(toString(info.getName()));
    }
    fmt::print("{:<40} {:<12} {}\n", "KEY", "SIZE", "INODES");
    for (const std::string& key : wanted) {
      auto request = service.usageRequest();
      connection.setContext(request.initCtx());
      request.setKey(key);
      auto usage = connection.wait(request.send()).getUsage();
      fmt::print("{:<40} {:<12} {}\n", key, humanSize(usage.getSize()), usage.getInodes());
    }
  });
}

void addLabel(CLI::App& parent, const GlobalOptions& options, const Snapshotter& snapshotter) {
  struct Args {
    std::string key;
    std::vector<std::string> labels;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = parent.add_subcommand("label", "Set (KEY=VALUE) or clear (KEY=) labels of a snapshot");
  cmd->add_option("key", args->key, "The snapshot's key")->required();
  cmd->add_option("labels", args->labels, "Labels as KEY=VALUE; KEY= removes one");
  cmd->callback([&options, snapshotter, args] {
    Connection connection(options);
    auto service = snapshotsService(connection, *snapshotter);
    auto stat = service.statRequest();
    connection.setContext(stat.initCtx());
    stat.setKey(args->key);
    Labels labels = applyLabelArguments(fromRpc(connection.wait(stat.send()).getInfo().getLabels()), args->labels);
    auto request = service.updateRequest();
    connection.setContext(request.initCtx());
    request.setKey(args->key);
    toRpc(labels, request.initLabels(labels.size()));
    auto info = connection.wait(request.send()).getInfo();
    fmt::print("{}\n", formatLabels(fromRpc(info.getLabels()), "(no labels)"));
  });
}

}  // namespace

void addSnapshotsCommand(CLI::App& ctr, const GlobalOptions& options) {
  auto snapshotter = std::make_shared<std::string>("overlayfs");
  CLI::App* snapshots = ctr.add_subcommand("snapshots", "Manage snapshots");
  snapshots->alias("snapshot");
  snapshots->add_option("--snapshotter", *snapshotter, "The snapshotter to use")->capture_default_str();
  printHelpWhenRunAlone(*snapshots);
  addCreate(*snapshots, options, snapshotter, true);
  addCreate(*snapshots, options, snapshotter, false);
  addCommit(*snapshots, options, snapshotter);
  addMounts(*snapshots, options, snapshotter);
  addList(*snapshots, options, snapshotter);
  addTree(*snapshots, options, snapshotter);
  addInfo(*snapshots, options, snapshotter);
  addUsage(*snapshots, options, snapshotter);
  addLabel(*snapshots, options, snapshotter);
  addRemoveCommand(*snapshots, options, "Remove snapshots (refused while one has children)", "The snapshots' keys",
                   [snapshotter](Connection& connection, const std::string& item) {
                     auto request = snapshotsService(connection, *snapshotter).removeRequest();
                     connection.setContext(request.initCtx());
                     request.setKey(item);
                     connection.wait(request.send());
                   });
}

}  // namespace tenon::ctr
