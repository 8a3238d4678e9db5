#include "images/platform.hpp"

namespace tenon::images {

std::string Platform::text() const {
  std::string out = os + "/" + architecture;
  if (!variant.empty()) out += "/" + variant;
  return out;
}

Platform normalize(Platform platform) {
  std::string& arch = platform.architecture;
  if (arch == "x86_64" || arch == "x86-64") arch = "amd64";
  if (arch == "i386" || arch == "i686") arch = "386";
  if (arch == "aarch64") arch = "arm64";
  if (arch == "armhf") arch = "arm", platform.variant = "v7";
  if (arch == "armel") arch = "arm", platform.variant = "v6";
  // containerd: arm64's only variant in practice is v8, so it says nothing.
  if (arch == "arm64" && platform.variant == "v8") platform.variant.clear();
  return platform;
}

Platform hostPlatform() {
#if defined(__x86_64__)
  return {"linux", "amd64", ""};
#elif defined(__aarch64__)
  return {"linux", "arm64", ""};
#elif defined(__arm__)
  return {"linux", "arm", "v7"};
#elif defined(__i386__)
  return {"linux", "386", ""};
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return {"linux", "ppc64le", ""};
#elif defined(__s390x__)
  return {"linux", "s390x", ""};
#elif defined(__riscv) && __riscv_xlen == 64
  return {"linux", "riscv64", ""};
#else
  return {"linux", "unknown", ""};
#endif
}

bool matches(const Platform& wanted, const Platform& offered) {
  Platform a = normalize(wanted), b = normalize(offered);
  if (a.os != b.os || a.architecture != b.architecture) return false;
  return a.variant.empty() || b.variant.empty() || a.variant == b.variant;
}

}  // namespace tenon::images
