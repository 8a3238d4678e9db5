// Text bound for the OCI spec: the spec is JSON (so valid UTF-8) and the runtime
// hands its strings to the kernel as C strings (so no NUL). Checks here name the
// field and the bad value, so a user sees which flag or image field to fix.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tenon::oci {

// Throws Error(INVALID_ARGUMENT) "invalid <what> <value>: <why>".
[[noreturn]] void refuse(std::string_view what, std::string_view value, std::string_view why);

// Refuses (as above) a value holding a NUL byte or bytes that are not UTF-8.
void requireSpecText(std::string_view what, std::string_view value);

// `value` in double quotes with control and non-UTF-8 bytes escaped, cut after
// 120 bytes: safe to put in a message whatever an image or a user sent.
std::string quoted(std::string_view value);

// `text` cut at every `separator`, empty parts kept (so that "a,,b" can be
// refused): for flags and the ':'-separated account files.
std::vector<std::string_view> splitAll(std::string_view text, char separator);

}  // namespace tenon::oci
