#include "oci/capabilities.hpp"

#include <fmt/format.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <tenon/error.hpp>

namespace tenon::oci {

std::vector<std::string> currentCapabilities() {
  // capget through the syscall: glibc has no wrapper, and libcap is one more
  // dependency for 64 bits of information.
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  if (::syscall(SYS_capget, &header, data) != 0)
    fail(TENON_INTERNAL, fmt::format("cannot read this process's capabilities: {}", std::strerror(errno)));
  std::vector<std::string> held;
  for (std::size_t bit = 0; bit < kAllCapabilities.size(); ++bit)
    if (data[bit / 32].effective & (1u << (bit % 32))) held.emplace_back(kAllCapabilities[bit]);
  return held;
}

}  // namespace tenon::oci
