#include "registry_flags.hpp"

namespace tenon::ctr {

void addRegistryFlags(CLI::App& command, RegistryFlags& flags) {
  command.add_flag("--plain-http", flags.plainHttp, "Use http:// for registries without a hosts.toml saying otherwise");
  command.add_flag("--skip-verify", flags.skipVerify, "Do not verify the registry's TLS certificate");
  command.add_option("--hosts-dir", flags.hostsDir,
                     "Directory of <host[:port]>/hosts.toml files (default: the daemon's [registry] config_path)");
  command.add_option("-u,--user", flags.user,
                     "USER[:PASSWORD] for the reference's registry; the password is asked for when left out");
}

void setRegistryOptions(rpc::RegistryOptions::Builder options, const RegistryFlags& flags) {
  options.setPlainHttp(flags.plainHttp);
  options.setSkipVerify(flags.skipVerify);
  options.setHostsDir(flags.hostsDir);
}

}  // namespace tenon::ctr
