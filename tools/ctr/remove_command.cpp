#include "remove_command.hpp"

#include <fmt/core.h>

#include <memory>
#include <vector>

#include "each_argument.hpp"

namespace tenon::ctr {

void addRemoveCommand(CLI::App& parent, const GlobalOptions& options, const std::string& description,
                      const std::string& itemsHelp,
                      std::function<void(Connection&, const std::string& item)> removeOne) {
  auto items = std::make_shared<std::vector<std::string>>();  // shared with the callback, which outlives this scope
  CLI::App* rm = parent.add_subcommand("rm", description);
  for (const char* alias : {"remove", "delete", "del"}) rm->alias(alias);
  rm->add_option("items", *items, itemsHelp)->required();
  rm->callback([&options, items, removeOne = std::move(removeOne)] {
    Connection connection(options);
    forEachArgument(*items, options.debug, [&](const std::string& item) {
      removeOne(connection, item);
      fmt::print("{}\n", item);
    });
  });
}

}  // namespace tenon::ctr
