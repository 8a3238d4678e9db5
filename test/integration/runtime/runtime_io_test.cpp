// A task's stdio goes straight between its processes and the client's
// FIFOs, with or without a TTY; its exit code comes back through wait.
#include <doctest/doctest.h>

#include <string>

#include "runtime_fixture.hpp"

using namespace tenon;
using namespace tenon::runtime_test;
using tenon::tasks::TaskStatus;

namespace {}  // namespace

TEST_CASE("a task's output reaches the stdout FIFO and its exit code comes back") {
  RuntimeFixture f;
  const std::string ns = f.ns();
  std::string id = f.uniqueId("exit");
  Fifo out = f.fifo("out");
  out.openForReading();
  tasks::TaskState created =
      f.table().create(f.request(ns, id, {"sh", "-c", "echo hello; exit 7"}, {"", out.path(), "", false}));
  CHECK(created.status == TaskStatus::created);
  CHECK(created.pid > 0);
  CHECK(created.cgroupPath == "/tenon/" + ns + "/" + id);

  tasks::TaskState started = f.table().start(ns, id);
  CHECK(started.pid == created.pid);
  CHECK(out.readToEnd() == "hello\n");
  tasks::TaskState exited = waitStopped(f.table(), ns, id);
  CHECK(exited.exitStatus == 7);
  CHECK(exited.exitedAt > 0);

  tasks::TaskState removed = f.table().remove(ns, id);
  CHECK(removed.exitStatus == 7);
  CHECK(f.countEvents(ns, "/tasks/create", id) == 1);
  CHECK(f.countEvents(ns, "/tasks/start", id) == 1);
  CHECK(f.countEvents(ns, "/tasks/exit", id, id) == 1);
  CHECK(f.countEvents(ns, "/tasks/delete", id) == 1);
}

TEST_CASE("stdin piped into a task reaches it, and close_stdin ends its input") {
  RuntimeFixture f;
  const std::string ns = f.ns();
  std::string id = f.uniqueId("stdin");
  Fifo in = f.fifo("in");
  Fifo out = f.fifo("out");
  out.openForReading();
  f.table().create(f.request(ns, id, {"cat"}, {in.path(), out.path(), "", false}));
  f.table().start(ns, id);
  in.write("piped through\n");
  in.closeWriter();
  // The shim still holds a write side: cat waits for more until close_stdin.
  CHECK(out.readUntil("piped through\n") == "piped through\n");
  CHECK(f.table().state(ns, id).status == TaskStatus::running);
  f.table().closeStdin(ns, id);
  CHECK(out.readToEnd() == "piped through\n");
  CHECK(waitStopped(f.table(), ns, id).exitStatus == 0);
  f.table().remove(ns, id);
}

TEST_CASE("a TTY task echoes its input and writes its output to the stdout FIFO") {
  RuntimeFixture f;
  const std::string ns = f.ns();
  std::string id = f.uniqueId("tty");
  Fifo in = f.fifo("in");
  Fifo out = f.fifo("out");
  out.openForReading();
  f.table().create(
      f.request(ns, id, {"sh", "-c", "read line; echo \"got:$line\"; stty size"}, {in.path(), out.path(), "", true}));
  f.table().resizePty(ns, id, "", 100, 30);
  f.table().start(ns, id);
  in.write("hello tty\n");
  std::string output = out.readToEnd();
  CHECK(output.find("hello tty") != std::string::npos);  // the terminal's echo
  CHECK(output.find("got:hello tty\r\n") != std::string::npos);
  CHECK(output.find("30 100") != std::string::npos);
  CHECK(waitStopped(f.table(), ns, id).exitStatus == 0);
  f.table().remove(ns, id);
}

TEST_CASE("a task with no stdio at all runs with /dev/null") {
  RuntimeFixture f;
  const std::string ns = f.ns();
  std::string id = f.uniqueId("quiet");
  f.table().create(f.request(ns, id, {"sh", "-c", "cat; echo lost; exit 3"}));
  f.table().start(ns, id);
  CHECK(waitStopped(f.table(), ns, id).exitStatus == 3);
  f.table().remove(ns, id);
}

TEST_CASE("only fds 0-2 reach the container's processes") {
  RuntimeFixture f;
  const std::string ns = f.ns();
  std::string id = f.uniqueId("fds");
  Fifo out = f.fifo("out");
  out.openForReading();
  // ls lists the fds of the process that runs it: 0-2, and 3, its own directory handle.
  f.table().create(f.request(ns, id, {"ls", "/proc/self/fd"}, {"", out.path(), "", false}));
  f.table().start(ns, id);
  CHECK(out.readToEnd() == "0\n1\n2\n3\n");
  waitStopped(f.table(), ns, id);
  f.table().remove(ns, id);
}
