#include "registry/registry_errors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "registry/http_request.hpp"

namespace tenon::registry {
namespace {

// Retry-After (RFC 9110 §10.2.3) in seconds; the HTTP-date form is rare from registries and ignored.
std::chrono::milliseconds retryAfter(const HttpResponse& response) {
  std::string value = response.header("retry-after");
  if (value.empty() || value.size() > 9 || !std::all_of(value.begin(), value.end(), ::isdigit)) return {};
  return std::chrono::seconds(std::stol(value));
}

std::string errorDocumentMessage(const nlohmann::json& document) {
  std::string message;
  for (const auto& error : document.at("errors")) {
    std::string code = error.value("code", "");
    std::string text = error.value("message", "");
    if (!message.empty()) message += "; ";
    message += code.empty() ? text : text.empty() ? code : code + ": " + text;
  }
  return message;
}

}  // namespace

std::string registryMessage(const HttpResponse& response) {
  auto document = nlohmann::json::parse(response.body, nullptr, false);
  if (document.is_object() && document.contains("errors") && document["errors"].is_array()) {
    try {
      return errorDocumentMessage(document);
    } catch (const nlohmann::json::exception&) {
      // not the spec's shape after all: fall through to the raw text
    }
  }
  bool printable = std::all_of(response.body.begin(), response.body.end(),
                               [](unsigned char c) { return std::isprint(c) || std::isspace(c); });
  if (!printable || response.body.size() > 200) return {};
  std::string text = response.body;
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

void failOnAnswer(const HttpResponse& response, const std::string& what, const std::string& repository,
                  const std::string& host) {
  std::string message = registryMessage(response);
  if (message.empty()) message = response.statusText();
  switch (response.status) {
    case 404:
      fail(TENON_NOT_FOUND, fmt::format("{}: not found", what));
    case 401:
      fail(TENON_PERMISSION_DENIED, fmt::format("unauthorized: {} ({} on {})", message, repository, host));
    case 403:
      fail(TENON_PERMISSION_DENIED, fmt::format("denied: {} ({} on {})", message, repository, host));
    default:
      break;
  }
  std::string text = fmt::format("{} answered {} for {}", host, response.statusText(), what);
  if (message != response.statusText()) text += ": " + message;
  if (response.status == 429 || response.status >= 500) throw RetryableError(text, retryAfter(response));
  fail(TENON_FAILED_PRECONDITION, text);
}

}  // namespace tenon::registry
