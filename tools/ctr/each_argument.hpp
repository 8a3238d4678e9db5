// Commands that act on several arguments (`ctr content rm A B C`): each one is tried, a
// failure is reported on its own line, and the rest still run.
#ifndef TENON_CTR_EACH_ARGUMENT_HPP
#define TENON_CTR_EACH_ARGUMENT_HPP

#include <functional>
#include <string>
#include <vector>

namespace tenon::ctr {

// Runs `action` on each argument in order, reporting what one throws; at the end throws
// ReportedFailure if any failed, so that ctr exits 1.
void forEachArgument(const std::vector<std::string>& arguments, bool debug,
                     const std::function<void(const std::string&)>& action);

}  // namespace tenon::ctr

#endif  // TENON_CTR_EACH_ARGUMENT_HPP
