// `ctr <things> rm A B C`, the same for every kind of record: each named item
// is removed in turn and printed; a failure is reported on its own line and
// the rest still run; ctr then exits 1.
#ifndef TENON_CTR_REMOVE_COMMAND_HPP
#define TENON_CTR_REMOVE_COMMAND_HPP

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "connection.hpp"
#include "options.hpp"

namespace tenon::ctr {

// Adds `rm` (aliases remove, delete, del) to `parent`; `removeOne` removes one item.
void addRemoveCommand(CLI::App& parent, const GlobalOptions& options, const std::string& description,
                      const std::string& itemsHelp,
                      std::function<void(Connection&, const std::string& item)> removeOne);

}  // namespace tenon::ctr

#endif  // TENON_CTR_REMOVE_COMMAND_HPP
