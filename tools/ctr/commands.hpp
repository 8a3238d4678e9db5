// The commands of ctr. main() adds each one explicitly; there is no registry to fill at
// static-initialisation time, so the list of commands is the list of calls in main().
#ifndef TENON_CTR_COMMANDS_HPP
#define TENON_CTR_COMMANDS_HPP

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <string>

#include "options.hpp"

namespace tenon::ctr {

// `ctr version`: the client's and the daemon's versions.
void addVersionCommand(CLI::App& ctr, const GlobalOptions& options);

// `ctr plugins ls`: the daemon's plugins and how they fared.
void addPluginsCommand(CLI::App& ctr, const GlobalOptions& options);

// `ctr namespaces`: create, ls, label and rm namespaces.
void addNamespacesCommand(CLI::App& ctr, const GlobalOptions& options);

// `ctr content`: ls, get, ingest, rm, label, active and abort.
void addContentCommand(CLI::App& ctr, const GlobalOptions& options);

// `ctr leases`: what holds content (and later snapshots) against garbage collection.
void addLeasesCommand(CLI::App& ctr, const GlobalOptions& options);

// `ctr snapshots`: prepare, view, commit, mounts, rm, ls, info, usage and label snapshots.
void addSnapshotsCommand(CLI::App& ctr, const GlobalOptions& options);

// `ctr gc` (and `ctr content prune`, named by `name`): garbage collection on demand.
void addGcCommand(CLI::App& parent, const GlobalOptions& options, const std::string& name);

// `ctr info`: the daemon's pid, directories, start time and warnings.
void addInfoCommand(CLI::App& ctr, const GlobalOptions& options);

// `ctr images`: ls, rm, tag, label, check, pull, push, import and export.
void addImagesCommand(CLI::App& ctr, const GlobalOptions& options);

// `ctr run IMAGE ID [CMD...]`: a container from an image, run attached to ctr's stdio.
void addRunCommand(CLI::App& ctr, const GlobalOptions& options);

// `ctr tasks`: start, ls, kill, pause, resume, exec, ps, wait and rm tasks.
void addTasksCommand(CLI::App& ctr, const GlobalOptions& options);

// `ctr containers`: ls, info, label and rm container records.
void addContainersCommand(CLI::App& ctr, const GlobalOptions& options);

// `ctr events`: the daemon's events, one line each, until interrupted.
void addEventsCommand(CLI::App& ctr, const GlobalOptions& options);

// Makes a command that only groups subcommands (`ctr`, `ctr plugins`) print its help when
// it is run without one, instead of silently doing nothing.
inline void printHelpWhenRunAlone(CLI::App& group) {
  group.callback([&group] {
    if (!group.get_subcommands().empty()) return;
    // Asked of the root, help follows the parsed path down and names it whole: "ctr plugins".
    const CLI::App* root = &group;
    while (root->get_parent() != nullptr) root = root->get_parent();
    fmt::print("{}", root->help());
  });
}

}  // namespace tenon::ctr

#endif  // TENON_CTR_COMMANDS_HPP
