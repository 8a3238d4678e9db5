// The options every ctr command takes, parsed once in main and read by the commands.
#ifndef TENON_CTR_OPTIONS_HPP
#define TENON_CTR_OPTIONS_HPP

#include <string>

namespace tenon::ctr {

struct GlobalOptions {
  std::string address = "/run/tenon/tenon.sock";  // "unix:///path" or "/path"
  std::string ns = "default";                     // sent in every request's Context
  std::string lease;                              // likewise: holds what requests create
  double timeoutSeconds = 0;                      // for connecting and the call; 0 means none
  bool debug = false;                             // print error codes and connection steps
};

}  // namespace tenon::ctr

#endif  // TENON_CTR_OPTIONS_HPP
