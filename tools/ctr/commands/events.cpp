// `ctr events [FILTER...]`: every event the daemon publishes from now on, in
// all namespaces unless a filter says otherwise, one line each as containerd's
// ctr prints them — TIMESTAMP NAMESPACE TOPIC PAYLOAD — until interrupted.
#include <fmt/core.h>
#include <time.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <tenon/error.hpp>
#include <vector>

#include "../commands.hpp"
#include "../connection.hpp"
#include "events.capnp.h"
#include "events_interrupt.hpp"

namespace tenon::ctr {
namespace {

// How printing went, kept apart from the sink, which the RPC system owns.
struct OutputState {
  bool readerGone = false;  // stdout is a pipe whose reader left (`| head -3`)
  std::string writeError;   // stdout failed otherwise
  // Ends the wait at once: the daemon would only hear of the failure at its next event.
  kj::Own<kj::PromiseFulfiller<void>> failed;
};

// Go's time.Time.String(), which containerd's ctr prints: local time,
// "2024-05-01 12:34:56.1234 +0200 CEST", trailing zeros of the fraction dropped.
std::string goTimestamp(int64_t unixNanos) {
  constexpr int64_t kNanosPerSecond = 1'000'000'000;
  int64_t seconds = unixNanos / kNanosPerSecond, nanos = unixNanos % kNanosPerSecond;
  if (nanos < 0) {
    nanos += kNanosPerSecond;
    --seconds;
  }
  time_t time = static_cast<time_t>(seconds);
  tm local{};
  ::localtime_r(&time, &local);
  char date[32], zone[64];
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S", &local);
  std::strftime(zone, sizeof zone, "%z %Z", &local);
  std::string fraction = nanos == 0 ? "" : fmt::format(".{:09}", nanos);
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  return fmt::format("{}{} {}", date, fraction, zone);
}

class PrintingSink final : public rpc::EventSink::Server {
 public:
  explicit PrintingSink(std::shared_ptr<OutputState> state) : state_(std::move(state)) {}

 protected:
  kj::Promise<void> event(EventContext context) override {
    auto envelope = context.getParams().getEnvelope();
    std::string line = fmt::format("{} {} {} {}\n", goTimestamp(envelope.getTimestamp()),
                                   toString(envelope.getNamespace()), toString(envelope.getTopic()),
                                   toString(envelope.getPayload()));
    // Flushed line by line: whoever reads a pipe from us sees each event as it happens.
    if (std::fwrite(line.data(), 1, line.size(), stdout) == line.size() && std::fflush(stdout) == 0)
      return kj::READY_NOW;
    if (errno == EPIPE)
      state_->readerGone = true;
    else
      state_->writeError = std::string("cannot write to stdout: ") + std::strerror(errno);
    if (state_->failed->isWaiting()) state_->failed->fulfill();
    // Failing the call ends the daemon's stream, and so the subscription.
    return KJ_EXCEPTION(FAILED, "stdout is closed");
  }

 private:
  std::shared_ptr<OutputState> state_;
};

void watchEvents(const GlobalOptions& options, const std::vector<std::string>& filters) {
  std::signal(SIGPIPE, SIG_IGN);  // a closed pipe is a reader that has seen enough
  InterruptSignals interrupt;     // first: before anything else could start a thread
  auto output = std::make_shared<OutputState>();
  Connection connection(options);
  rpc::Events::Client events = connection.tenon().eventsRequest().send().getService();
  auto request = events.subscribeRequest();
  auto list = request.initFilters(filters.size());
  for (unsigned i = 0; i < filters.size(); ++i) list.set(i, filters[i]);
  auto failed = kj::newPromiseAndFulfiller<void>();
  output->failed = kj::mv(failed.fulfiller);
  request.setSink(kj::heap<PrintingSink>(output));
  // The subscription never ends on its own; a signal or a failed write ends
  // the wait, and dropping the call on the way out unsubscribes.
  kj::Promise<void> subscribed = request.send().ignoreResult();
  std::exception_ptr error;
  try {
    connection.wait(subscribed.exclusiveJoin(interrupt.arrived().ignoreResult()).exclusiveJoin(kj::mv(failed.promise)));
  } catch (...) {
    error = std::current_exception();
  }
  if (output->readerGone) return;
  if (!output->writeError.empty()) fail(TENON_INTERNAL, output->writeError);
  if (error) std::rethrow_exception(error);
}

}  // namespace

void addEventsCommand(CLI::App& ctr, const GlobalOptions& options) {
  auto filters = std::make_shared<std::vector<std::string>>();  // shared with the callback, which outlives this scope
  CLI::App* events = ctr.add_subcommand("events", "Print the daemon's events as they happen, until interrupted");
  events->alias("event");
  events->add_option("filters", *filters,
                     "Filters like topic==/images/create, namespace==default, topic~=^/containers/, "
                     "event.id==ID; any may match");
  events->callback([&options, filters] { watchEvents(options, *filters); });
}

}  // namespace tenon::ctr
