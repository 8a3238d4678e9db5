// The protocol between the runtime plugin and a shim: over the shim's unix
// socket, one JSON object per line. The plugin sends a request
//   {"op": "<op>", ...arguments}
// and reads one answer line:
//   {"ok": true, ...results}   or   {"ok": false, "code": "not_found", "message": "..."}
// where `code` is a tenon_status name. A connection may carry several
// requests in turn. Ops ("" exec_id names the init process):
//   create       {io}                          -> {pid}      runtime `create`, io held by the shim
//   start        {exec_id}                     -> {pid}      runtime `start`, or `exec --detach` for an exec
//   kill         {exec_id, signal, all}        -> {}
//   pause/resume                               -> {}
//   exec         {exec_id, process, io}        -> {}         records an exec; `start` runs it
//   resize       {exec_id, width, height}      -> {}         TIOCSWINSZ on the pty master
//   close-stdin  {exec_id}                     -> {}         closes the shim's write side of stdin
//   state                                      -> {shim_pid, processes: [process]}
//   pids                                       -> {processes: [{pid, exec_id}]}  (runtime `ps`)
//   wait         {exec_id}                     -> {process}  answered once it has exited
//   delete       {exec_id}                     -> {process}  after the init's delete the shim exits
//   shutdown                                   -> {}         the shim exits (nothing may be running)
//   events                                     -> a stream of {"event": "exit", ...process}, one
//                                                 per exit, the ones before the request first
// A process is {exec_id, status ("created"|"running"|"paused"|"stopped"),
// pid, exit_status, exited_at (ns since the epoch)}; io is {stdin, stdout,
// stderr (FIFO paths, "" for none), terminal}.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <tenon/error.hpp>

namespace tenon::runtime_runc {

using nlohmann::json;

enum class ProcessStatus { created, running, paused, stopped };

const char* statusName(ProcessStatus status);
ProcessStatus parseStatus(const std::string& name);

struct ProcessState {
  std::string execId;  // "" for the init process
  ProcessStatus status = ProcessStatus::created;
  uint32_t pid = 0;
  uint32_t exitStatus = 0;
  int64_t exitedAt = 0;  // ns since the epoch; 0 while it runs
};

struct ProcessIo {
  std::string stdinPath;  // FIFO paths, "" for none
  std::string stdoutPath;
  std::string stderrPath;
  bool terminal = false;
};

void to_json(json& j, const ProcessState& s);
void from_json(const json& j, ProcessState& s);
void to_json(json& j, const ProcessIo& io);
void from_json(const json& j, ProcessIo& io);

// `text` parsed as one JSON object; invalid_argument naming `what` otherwise.
json parseObject(const std::string& text, const std::string& what);

// {"ok": true} plus `results`.
json okAnswer(json results = json::object());
// {"ok": false, "code", "message"} for `error`.
json errorAnswer(const Error& error);
// The answer's results; throws the tenon::Error it carries when it is not ok.
const json& checkAnswer(const json& answer);

// The tenon_status a name such as "not_found" stands for; internal when unknown.
tenon_status statusFromName(const std::string& name);

}  // namespace tenon::runtime_runc
