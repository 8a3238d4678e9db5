// Sizes and times for people, worded like containerd's ctr (go-units): "1.2 MiB", "2 minutes".
#ifndef TENON_CTR_HUMAN_HPP
#define TENON_CTR_HUMAN_HPP

#include <chrono>
#include <cstdint>
#include <string>

namespace tenon::ctr {

// "512 B", "1.2 MiB", "3.0 GiB": binary units, one decimal past bytes.
std::string humanSize(int64_t bytes);

// "Less than a second", "1 second", "About a minute", "2 minutes", "3 days", "2 weeks"...
std::string humanDuration(std::chrono::nanoseconds elapsed);

// humanDuration from `unixNanos` (nanoseconds since the Unix epoch, as the RPC schema
// carries times) until now; a time in the future counts as now.
std::string humanAge(int64_t unixNanos);

}  // namespace tenon::ctr

#endif  // TENON_CTR_HUMAN_HPP
