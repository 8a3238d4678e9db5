#include "common/shim_protocol.hpp"

namespace tenon::runtime_runc {

const char* statusName(ProcessStatus status) {
  switch (status) {
    case ProcessStatus::created: return "created";
    case ProcessStatus::running: return "running";
    case ProcessStatus::paused: return "paused";
    case ProcessStatus::stopped: return "stopped";
  }
  return "stopped";
}

ProcessStatus parseStatus(const std::string& name) {
  for (ProcessStatus s :
       {ProcessStatus::created, ProcessStatus::running, ProcessStatus::paused, ProcessStatus::stopped})
    if (name == statusName(s)) return s;
  fail(TENON_INTERNAL, "the shim reported an unknown process status \"" + name + "\"");
}

void to_json(json& j, const ProcessState& s) {
  j = json{{"exec_id", s.execId},
           {"status", statusName(s.status)},
           {"pid", s.pid},
           {"exit_status", s.exitStatus},
           {"exited_at", s.exitedAt}};
}

void from_json(const json& j, ProcessState& s) {
  s.execId = j.value("exec_id", "");
  s.status = parseStatus(j.value("status", "stopped"));
  s.pid = j.value("pid", 0u);
  s.exitStatus = j.value("exit_status", 0u);
  s.exitedAt = j.value("exited_at", int64_t{0});
}

void to_json(json& j, const ProcessIo& io) {
  j = json{{"stdin", io.stdinPath}, {"stdout", io.stdoutPath}, {"stderr", io.stderrPath}, {"terminal", io.terminal}};
}

void from_json(const json& j, ProcessIo& io) {
  io.stdinPath = j.value("stdin", "");
  io.stdoutPath = j.value("stdout", "");
  io.stderrPath = j.value("stderr", "");
  io.terminal = j.value("terminal", false);
}

json parseObject(const std::string& text, const std::string& what) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) fail(TENON_INVALID_ARGUMENT, what + " is not valid JSON");
  if (!j.is_object()) fail(TENON_INVALID_ARGUMENT, what + " is not a JSON object");
  return j;
}

json okAnswer(json results) {
  results["ok"] = true;
  return results;
}

json errorAnswer(const Error& error) {
  return json{{"ok", false}, {"code", error.codeName()}, {"message", error.what()}};
}

const json& checkAnswer(const json& answer) {
  if (answer.value("ok", false)) return answer;
  fail(statusFromName(answer.value("code", "internal")), answer.value("message", "the shim reported an error"));
}

tenon_status statusFromName(const std::string& name) {
  for (tenon_status code = 0; code < TENON_STATUS_COUNT; ++code)
    if (name == tenon_status_name(code)) return code;
  return TENON_INTERNAL;
}

}  // namespace tenon::runtime_runc
