# The Tasks service: running containers. A task is the running instance of a
# container (at most one per container); an exec is an extra process in a
# task, named by an exec id ("" names the task's init process). The daemon
# hands the container's spec and its snapshot's Mount list to the container's
# runtime plugin, which runs each task under a shim of its own, so tasks
# survive a daemon restart. Stdio never passes through the daemon: a task's
# stdin, stdout and stderr are FIFOs (or one TTY) on this host, opened by the
# shim, which the client creates and reads/writes itself. Lifecycle events:
# /tasks/create, /tasks/start, /tasks/exit, /tasks/paused, /tasks/resumed,
# /tasks/delete, /tasks/exec-added, /tasks/exec-started.
# Methods are only ever appended, never renumbered.
@0xf111961824851c26;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("tenon::rpc");

using Common = import "common.capnp";

interface Tasks {
  create @0 (ctx :Common.Context, containerId :Text, io :Io) -> (task :Task);
  # Creates the task of a container (not yet started): its root filesystem
  # mounted from the container's snapshot, its process from the spec.
  # Errors: not_found (container), already_exists (it has a task),
  # failed_precondition (no snapshot key), and the runtime's errors.

  start @1 (ctx :Common.Context, containerId :Text, execId :Text) -> (task :Task);
  # Starts the init process ("" execId) or an exec created by `exec`.

  kill @2 (ctx :Common.Context, containerId :Text, execId :Text, signal :UInt32, all :Bool) -> ();
  # Sends `signal` to the process, or with `all` to every process of the task.

  pause @3 (ctx :Common.Context, containerId :Text) -> ();
  resume @4 (ctx :Common.Context, containerId :Text) -> ();

  exec @5 (ctx :Common.Context, containerId :Text, execId :Text, process :Text, io :Io) -> ();
  # Adds the exec `execId` running `process` (an OCI spec "process" object as
  # JSON) with `io`; `start` starts it.

  resizePty @6 (ctx :Common.Context, containerId :Text, execId :Text, width :UInt32, height :UInt32) -> ();
  closeStdin @7 (ctx :Common.Context, containerId :Text, execId :Text) -> ();
  # The process reads EOF on its stdin.

  wait @8 (ctx :Common.Context, containerId :Text, execId :Text) -> (task :Task);
  # Returns once the process has exited, with its exit status.

  get @9 (ctx :Common.Context, containerId :Text, execId :Text) -> (task :Task);
  # The process's current state.

  list @10 (ctx :Common.Context, filters :List(Text)) -> (tasks :List(Task));
  # The namespace's tasks (init processes), by container id; filters name
  # id, status or runtime.

  pids @11 (ctx :Common.Context, containerId :Text) -> (processes :List(Process));

  delete @12 (ctx :Common.Context, containerId :Text, execId :Text) -> (task :Task);
  # Removes a stopped task (its mounts and bundle) or exec; returns its final
  # state, exit status included. failed_precondition while it runs.

  metrics @13 (ctx :Common.Context, filters :List(Text)) -> (metrics :List(TaskMetrics));
  # The resource use of the namespace's running tasks, from their cgroups
  # (through the metrics plugin), by container id. `filters` (containerd's
  # syntax) name id, status, runtime or the container's labels ("labels.k==v");
  # none means every task. not_found when the filters only name ids
  # ("id==x") and none of those tasks exists; unavailable without a metrics plugin.
}

enum Status {
  unknown @0;
  created @1;
  running @2;
  stopped @3;
  paused @4;
  pausing @5;
}

struct Io {
  stdin @0 :Text;    # FIFO paths on this host, empty for none
  stdout @1 :Text;
  stderr @2 :Text;
  terminal @3 :Bool; # one TTY: input from stdin, output to stdout
}

struct Task {
  containerId @0 :Text;
  execId @1 :Text;       # "" for the init process
  status @2 :Status;
  pid @3 :UInt32;        # 0 before start
  exitStatus @4 :UInt32; # when stopped; 128+N after signal N
  exitedAt @5 :Int64;    # nanoseconds since the Unix epoch; 0 while running
  runtime @6 :Text;      # the runtime plugin's name
}

struct Process {
  pid @0 :UInt32;
  info @1 :Text;   # runtime-specific JSON, or empty
}

struct TaskMetrics {
  containerId @0 :Text;
  timestamp @1 :Int64;        # when collected, nanoseconds since the Unix epoch
  samples @2 :List(Sample);
}

struct Sample {
  # One value, named "<group>.<what>[_<unit>]": "cpu.usage_ns", "memory.usage_bytes",
  # "pids.current", "blkio.read_bytes" with label device="8:0"... (the metrics
  # plugin documents its names). A value the host's cgroup version does not
  # have is absent, never zero.
  name @0 :Text;
  value @1 :Float64;
  labels @2 :List(Common.Label);
}
