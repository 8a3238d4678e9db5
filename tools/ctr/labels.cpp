#include "labels.hpp"

#include <fmt/format.h>

#include <fmt/core.h>

#include <tenon/error.hpp>
#include <utility>

#include "connection.hpp"

namespace tenon::ctr {
namespace {

std::pair<std::string, std::string> parseLabel(std::string_view argument) {
  size_t equals = argument.find('=');
  if (equals == std::string_view::npos || equals == 0)
    fail(TENON_INVALID_ARGUMENT, fmt::format("invalid label \"{}\": want KEY=VALUE", argument));
  return {std::string(argument.substr(0, equals)), std::string(argument.substr(equals + 1))};
}

}  // namespace

Labels parseLabels(const std::vector<std::string>& arguments) {
  Labels labels;
  for (const auto& argument : arguments) {
    auto [key, value] = parseLabel(argument);
    labels.insert_or_assign(std::move(key), std::move(value));
  }
  return labels;
}

Labels applyLabelArguments(Labels current, const std::vector<std::string>& arguments) {
  for (const auto& argument : arguments) {
    auto [key, value] = parseLabel(argument);
    if (value.empty())
      current.erase(key);
    else
      current.insert_or_assign(std::move(key), std::move(value));
  }
  return current;
}

Labels fromRpc(capnp::List<rpc::Label>::Reader labels) {
  Labels out;
  for (auto label : labels) out.insert_or_assign(toString(label.getKey()), toString(label.getValue()));
  return out;
}

void toRpc(const Labels& labels, capnp::List<rpc::Label>::Builder out) {
  unsigned i = 0;
  for (const auto& [key, value] : labels) {
    out[i].setKey(key);
    out[i].setValue(value);
    ++i;
  }
}

std::string formatLabels(const Labels& labels, std::string_view none) {
  if (labels.empty()) return std::string(none);
  std::string text;
  for (const auto& [key, value] : labels) text += fmt::format("{}{}={}", text.empty() ? "" : ",", key, value);
  return text;
}

void runLabelCommand(const std::vector<std::string>& arguments, const std::function<Labels()>& read,
                     const std::function<Labels(const Labels&)>& write) {
  Labels labels = read();
  if (!arguments.empty()) labels = write(applyLabelArguments(labels, arguments));
  fmt::print("{}\n", formatLabels(labels));
}

}  // namespace tenon::ctr
