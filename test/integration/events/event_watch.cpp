#include "event_watch.hpp"

#include <doctest/doctest.h>

#include <regex>
#include <thread>

#include "built_programs.hpp"
#include "text_lines.hpp"

namespace tenon::test {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPatience = std::chrono::seconds(10);

std::optional<SeenEvent> parseLine(const std::string& line) {
  static const std::regex format(
      R"(^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,9})? [+-]\d{4} \S+) (\S+) (/\S+) (\{.*\})$)");
  std::smatch m;
  if (!std::regex_match(line, m, format)) return std::nullopt;
  auto payload = nlohmann::json::parse(m[4].str(), nullptr, false);
  if (!payload.is_object()) return std::nullopt;
  return SeenEvent{m[1], m[2], m[3], payload};
}

}  // namespace

EventWatch::EventWatch(const std::string& address, const std::vector<std::string>& filters)
    : outputFile_(dir_ / "events.out") {
  std::vector<std::string> argv = {kCtr, "--address", address, "events"};
  argv.insert(argv.end(), filters.begin(), filters.end());
  ctr_ = std::make_unique<BackgroundProcess>(argv, std::vector<std::string>{"TENON_ADDRESS", "TENON_NAMESPACE"},
                                             outputFile_);
}

void EventWatch::waitUntilSubscribed(RpcClient& client, const std::string& ns, const std::string& topic) {
  auto deadline = Clock::now() + kPatience;
  auto probed = [&](const std::vector<SeenEvent>& seen) {
    for (const auto& e : seen)
      if (e.ns == ns && e.topic == topic) return true;
    return false;
  };
  while (!probed(seen())) {
    REQUIRE_MESSAGE(ctr_->running(), "ctr events exited: " << output());
    REQUIRE_MESSAGE(Clock::now() < deadline, "ctr events never showed the probe: " << output());
    REQUIRE(client.publish(ns, topic, R"({"name":"probe"})") == "");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

bool EventWatch::waitFor(const std::function<bool(const std::vector<SeenEvent>&)>& done) {
  auto deadline = Clock::now() + kPatience;
  while (!done(seen())) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

std::vector<SeenEvent> EventWatch::seen() const {
  std::vector<SeenEvent> events;
  std::string text = output();
  // A line still being written has no '\n' yet: only whole lines count.
  size_t end = text.rfind('\n');
  text.resize(end == std::string::npos ? 0 : end + 1);
  for (const std::string& line : lines(text)) {
    std::optional<SeenEvent> event = parseLine(line);
    REQUIRE_MESSAGE(event, "not an event line: " << line);
    events.push_back(std::move(*event));
  }
  return events;
}

std::string EventWatch::output() const { return readFile(outputFile_); }

std::optional<ExitStatus> EventWatch::stop(int signal) {
  ctr_->signal(signal);
  return ctr_->waitFor(kPatience);
}

std::optional<ExitStatus> EventWatch::waitForExit() { return ctr_->waitFor(kPatience); }

std::vector<std::string> namespacedTopics(const std::vector<SeenEvent>& seen, const std::string& skip) {
  std::vector<std::string> out;
  for (const auto& e : seen)
    if (e.ns != skip) out.push_back(e.ns + " " + e.topic);
  return out;
}

}  // namespace tenon::test
