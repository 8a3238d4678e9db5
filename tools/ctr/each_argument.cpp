#include "each_argument.hpp"

#include <exception>

#include "errors.hpp"

namespace tenon::ctr {

void forEachArgument(const std::vector<std::string>& arguments, bool debug,
                     const std::function<void(const std::string&)>& action) {
  bool failed = false;
  for (const auto& argument : arguments) {
    try {
      action(argument);
    } catch (...) {
      report(describe(std::current_exception()), debug);
      failed = true;
    }
  }
  if (failed) throw ReportedFailure();
}

}  // namespace tenon::ctr
