// Asking for a secret on the terminal, without echoing it, like `docker login`
// and containerd's `ctr --user USER` do.
#ifndef TENON_CTR_PASSWORD_PROMPT_HPP
#define TENON_CTR_PASSWORD_PROMPT_HPP

#include <string>

namespace tenon::ctr {

// Prints `prompt` on stderr and reads one line from stdin with echo off (the
// terminal's settings restored even on error). Throws invalid_argument when
// stdin is not a terminal: nothing could be typed there unseen.
std::string readPassword(const std::string& prompt);

}  // namespace tenon::ctr

#endif  // TENON_CTR_PASSWORD_PROMPT_HPP
