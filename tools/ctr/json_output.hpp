// What `--format json` prints: an indented document on stdout, times in RFC 3339.
#ifndef TENON_CTR_JSON_OUTPUT_HPP
#define TENON_CTR_JSON_OUTPUT_HPP

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "labels.hpp"

namespace tenon::ctr {

using Json = nlohmann::ordered_json;

// Prints `document` indented by two spaces and a newline. Text from the daemon is not
// guaranteed UTF-8: a bad byte is replaced rather than aborting ctr.
void printJson(const Json& document);

// "2024-05-01T12:34:56.123456789Z" for nanoseconds since the Unix epoch.
std::string rfc3339(int64_t unixNanos);

// Labels as a JSON object.
Json toJson(const Labels& labels);

}  // namespace tenon::ctr

#endif  // TENON_CTR_JSON_OUTPUT_HPP
