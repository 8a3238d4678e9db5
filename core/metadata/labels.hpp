// Labels: the free-form key/value pairs every record carries.
#pragma once

#include <map>
#include <string>

namespace tenon::metadata {

using Labels = std::map<std::string, std::string>;

}  // namespace tenon::metadata
