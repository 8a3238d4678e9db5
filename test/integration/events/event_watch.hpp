// `ctr events [FILTER...]` running in the background for one test: its lines parsed,
// a bounded wait for what the test expects to see, and a way to make sure it has
// subscribed before the test acts (a probe event published until it shows).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "process.hpp"
#include "rpc_client.hpp"
#include "temp_dir.hpp"

namespace tenon::test {

// One line of `ctr events`: TIMESTAMP NAMESPACE TOPIC PAYLOAD.
struct SeenEvent {
  std::string timestamp;  // Go's time.Time.String(): "2024-05-01 12:34:56.789 +0000 UTC"
  std::string ns;
  std::string topic;
  nlohmann::json payload;
};

class EventWatch {
 public:
  // Starts `ctr --address <address> events filters...`.
  EventWatch(const std::string& address, const std::vector<std::string>& filters);
  // The destructor kills ctr (SIGKILL) if it still runs.

  // Publishes `topic` in namespace `ns` through `client` until ctr prints it (REQUIREs
  // that it does within 10 s): from then on ctr sees whatever is published.
  void waitUntilSubscribed(RpcClient& client, const std::string& ns, const std::string& topic);
  // Waits up to 10 s until `done` holds for what ctr printed; true when it did.
  bool waitFor(const std::function<bool(const std::vector<SeenEvent>&)>& done);
  // Everything printed so far (REQUIREs that every line is well formed).
  std::vector<SeenEvent> seen() const;
  // What was printed, raw.
  std::string output() const;
  // Sends `signal` and waits (up to 10 s) for ctr to exit: how it ended.
  std::optional<ExitStatus> stop(int signal);
  // Waits up to 10 s for ctr to exit on its own.
  std::optional<ExitStatus> waitForExit();

 private:
  TempDir dir_{"tenon-ctr-events"};
  std::string outputFile_;
  std::unique_ptr<BackgroundProcess> ctr_;
};

// The events of `seen` outside namespace `skip` (the probes), as "namespace topic".
std::vector<std::string> namespacedTopics(const std::vector<SeenEvent>& seen, const std::string& skip = "probe");

}  // namespace tenon::test
