#include "script_server.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <sstream>
#include <thread>

namespace tenon::test {

using namespace std::chrono_literals;

ScriptServer::ScriptServer(const std::string &script,
                           std::vector<std::string> args) {
  args.insert(args.begin(),
              {PYTHON3, std::string(REGISTRY_TEST_DIR) + "/" + script});
  args.insert(args.end(), {"--log", dir_ / "requests.log"});
  process_ = std::make_unique<BackgroundProcess>(
      args, std::vector<std::string>{}, dir_ / "output");
  auto deadline = std::chrono::steady_clock::now() + 10s;
  const std::string said = "listening on ";
  for (std::string out = output(); out.find(said) == std::string::npos;
       out = output()) {
    REQUIRE_MESSAGE(process_->running(), script, " exited: ", out);
    REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, script,
                    " did not say its port: ", out);
    std::this_thread::sleep_for(20ms);
  }
  std::string out = output();
  port_ = std::stoi(out.substr(out.find(said) + said.size()));
}

ScriptServer::~ScriptServer() = default; // BackgroundProcess kills it

std::vector<nlohmann::json> ScriptServer::requests() const {
  std::vector<nlohmann::json> out;
  std::istringstream log(readFile(dir_ / "requests.log"));
  for (std::string line; std::getline(log, line);)
    if (!line.empty())
      out.push_back(nlohmann::json::parse(line));
  return out;
}

void ScriptServer::clearRequests() const {
  writeFile(dir_ / "requests.log", "");
}

std::string ScriptServer::output() const { return readFile(dir_ / "output"); }

} // namespace tenon::test
