#include "metadata/record_table.hpp"

namespace tenon::metadata {

std::string encodeRecord(const Json& json, std::string_view what) {
  try {
    return json.dump();
  } catch (const Json::type_error&) {
    // Validation checks names and labels; this catches any other text field.
    fail(TENON_INVALID_ARGUMENT, std::string(what) + " holds text that is not valid UTF-8");
  }
}

Json parseRecord(std::string_view bytes, std::string_view what) {
  Json json = Json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) failUnreadable(what, "not a JSON object");
  return json;
}

void failUnreadable(std::string_view what, std::string_view why) {
  fail(TENON_INTERNAL, "metadata " + std::string(what) + " is unreadable: " + std::string(why));
}

}  // namespace tenon::metadata
