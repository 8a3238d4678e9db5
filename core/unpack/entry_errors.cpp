#include "unpack/entry_errors.hpp"

#include <cerrno>
#include <cstring>
#include <tenon/error.hpp>

#include "metadata/validation.hpp"

namespace tenon::unpack {

namespace {

tenon_status codeOf(int error) {
  switch (error) {
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
    case EMLINK: return TENON_RESOURCE_EXHAUSTED;
    case ENOENT:
    case EEXIST:
    case ENOTDIR:
    case EISDIR:
    case ELOOP:
    case EXDEV:
    case ENAMETOOLONG:
    case ENOTEMPTY:
    case EINVAL: return TENON_INVALID_ARGUMENT;
    default: return TENON_INTERNAL;
  }
}

}  // namespace

void refuseEntry(const std::string& entry, const std::string& why) {
  fail(TENON_INVALID_ARGUMENT, "entry " + metadata::quote(entry) + " refused: " + why);
}

void failErrno(int error, const std::string& entry, const std::string& doing) {
  fail(codeOf(error), "entry " + metadata::quote(entry) + ": " + doing + ": " + std::strerror(error));
}

}  // namespace tenon::unpack
