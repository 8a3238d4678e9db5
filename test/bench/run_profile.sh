#!/usr/bin/env bash
# Where the time of one tenon `ctr run --rm IMAGE ID true` goes: RUNS (20)
# runs back to back after 3 warm-up ones, recorded with perf (system-wide, so
# the shim and runc are in it: a few tracepoints and uprobes, no sampling),
# then each run's wall time cut into phases by these marks:
#   - exec and exit of ctr, tenon-shim-runc, runc and the container's /bin/true
#     (only processes descending from this tenond count: other runcs on the
#     host are left out);
#   - ctr's first connect(2); tenond's first mount(2) after the task create
#     (the rootfs) and first umount(2) after the task delete;
#   - uprobes on the entry of tenond's RPC handlers (leases create/delete,
#     transfer unpack, snapshots prepare/remove, containers create/get/delete,
#     tasks create/start/wait/delete), and on ctr's StdioPumps::finish (entry
#     and return: the drain of the container's output after its exit).
# A phase that ends at a handler's entry includes the reply of the RPC before
# it and ctr's work in between. Prints each phase's mean and median in ms.
# The uprobes go on copies of tenond and ctr in the temp dir (no other process
# runs those) and are removed at the end; they name tenond's and ctr's
# functions by their mangled names, to be kept in step with the code. The
# profile's cgroups (/tenon/<namespace>) go at the end too. Needs root and perf.
# Usage: test/bench/run_profile.sh [RUNS]   (BUILD=dir to pick a build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
runs=${1:-20}
image=busybox:latest
suffix=$(tr A-Z a-z <<< "${bench_tmp##*-}")
ns=profile-$suffix
group=tenonprof$suffix  # a probe group of this run's own

remove_probes() { perf probe -q -d "$group:*" >/dev/null 2>&1 || true; }
remove_cgroups() { rmdir /sys/fs/cgroup/*/tenon/"$ns" /sys/fs/cgroup/tenon/"$ns" 2>/dev/null || true; }
trap 'remove_probes; bench_cleanup; remove_cgroups' EXIT

# Copies: uprobes patch the file they name; no one else runs these.
cp "$tenond_bin" "$bench_tmp/tenond"
cp "$ctr_bin" "$bench_tmp/ctr"
tenond_bin=$bench_tmp/tenond
ctr_bin=$bench_tmp/ctr

# Handler entries in tenond (event name = the phase mark), by mangled name
# (perf probe --no-demangle: C++ names with :: do not parse as a location).
declare -A tenond_probes=(
  [lease_create]=_ZN5tenon6leases13LeasesService6createEN5capnp11CallContextINS_3rpc6Leases12CreateParamsENS5_13CreateResultsEEE
  [unpack]=_ZN5tenon8transfer15TransferService6unpackEN5capnp11CallContextINS_3rpc8Transfer12UnpackParamsENS5_13UnpackResultsEEE
  [prepare]=_ZN5tenon9snapshots16SnapshotsService7prepareEN5capnp11CallContextINS_3rpc9Snapshots13PrepareParamsENS5_14PrepareResultsEEE
  [container_create]=_ZN5tenon10containers17ContainersService6createEN5capnp11CallContextINS_3rpc10Containers12CreateParamsENS5_13CreateResultsEEE
  [lease_delete]=_ZN5tenon6leases13LeasesService7delete_EN5capnp11CallContextINS_3rpc6Leases12DeleteParamsENS5_13DeleteResultsEEE
  [task_create]=_ZN5tenon5tasks12TasksService6createEN5capnp11CallContextINS_3rpc5Tasks12CreateParamsENS5_13CreateResultsEEE
  [task_start]=_ZN5tenon5tasks12TasksService5startEN5capnp11CallContextINS_3rpc5Tasks11StartParamsENS5_12StartResultsEEE
  [task_wait]=_ZN5tenon5tasks12TasksService4waitEN5capnp11CallContextINS_3rpc5Tasks10WaitParamsENS5_11WaitResultsEEE
  [task_delete]=_ZN5tenon5tasks12TasksService7delete_EN5capnp11CallContextINS_3rpc5Tasks12DeleteParamsENS5_13DeleteResultsEEE
  [container_get]=_ZN5tenon10containers17ContainersService3getEN5capnp11CallContextINS_3rpc10Containers9GetParamsENS5_10GetResultsEEE
  [snapshot_remove]=_ZN5tenon9snapshots16SnapshotsService6removeEN5capnp11CallContextINS_3rpc9Snapshots12RemoveParamsENS5_13RemoveResultsEEE
  [container_delete]=_ZN5tenon10containers17ContainersService7delete_EN5capnp11CallContextINS_3rpc10Containers12DeleteParamsENS5_13DeleteResultsEEE
)
remove_probes
for mark in "${!tenond_probes[@]}"; do
  perf probe -q --no-demangle -x "$tenond_bin" -a "$group:$mark=${tenond_probes[$mark]}"
done
drain=_ZN5tenon3ctr10StdioPumps6finishEi
perf probe -q --no-demangle -x "$ctr_bin" -a "$group:drain=$drain"
perf probe -q --no-demangle -x "$ctr_bin" -a "$group:drained=$drain%return"  # event drained__return

quietly "$here/../../scripts/make-busybox-image" "$bench_tmp/busybox.tar" "$image"
start_tenond
tenon=("$ctr_bin" -a "$address" -n "$ns")
quietly "${tenon[@]}" images import "$bench_tmp/busybox.tar"
for i in 1 2 3; do "${tenon[@]}" run --rm "$image" "warm-$i" true </dev/null >/dev/null; done

perf record -q -a -o "$bench_tmp/perf.data" -e "$group:*" \
  -e sched:sched_process_fork -e sched:sched_process_exec -e sched:sched_process_exit \
  -e syscalls:sys_enter_connect -e syscalls:sys_enter_mount -e syscalls:sys_enter_umount 2>/dev/null &
perf_pid=$!
sleep 1  # perf is recording
for ((i = 0; i < runs; i++)); do
  # Back to back, as in run.sh: a pause between runs lets the CPUs idle and
  # slows the next run's start (runc create most: ~30 ms instead of ~23 here).
  "${tenon[@]}" run --rm "$image" "run-$i" true </dev/null >/dev/null
done
kill -INT "$perf_pid"
wait "$perf_pid" || true
perf script -i "$bench_tmp/perf.data" -F comm,pid,tid,time,event,trace > "$bench_tmp/perf.txt" 2>/dev/null

# Marks per run, then phases. A line of perf script: COMM PID/TID TIME: EVENT: ARGS
# (COMM may hold spaces: fields are counted from the PID/TID one).
awk -v ctr="$ctr_bin" -v tenond="$tenond_pid" -v runc="$(command -v runc)" -v group="$group" '
function mark(name) { if (!((run, name) in at)) at[run, name] = ts }
{
  for (f = 1; f <= NF && $f !~ /^[0-9]+\/[0-9]+$/; f++) {}
  split($f, ids, "/"); pid = ids[1]; tid = ids[2]
  ts = $(f + 1); sub(/:$/, "", ts); ts *= 1000
  event = $(f + 2); sub(/:$/, "", event)
  args = ""; for (g = f + 3; g <= NF; g++) args = args " " $g
}
event == "sched:sched_process_fork" {
  # The forking task is this tenond or one of its descendants: so is the child.
  if (pid == tenond || (pid in ours)) { match(args, /child_pid=[0-9]+/); ours[substr(args, RSTART + 10, RLENGTH - 10)] = 1 }
  next
}
event == "sched:sched_process_exec" {
  match(args, /filename=[^ ]+/); file = substr(args, RSTART + 9, RLENGTH - 9)
  if (file == ctr) { run++; ctrpid = pid; runcs = 0; mark("ctr_exec"); next }
  if (!run || !(pid in ours)) next
  if (file ~ /\/tenon-shim-runc$/) mark("shim_exec")
  else if (file == runc) { runcs++; name = runcs == 1 ? "create" : runcs == 2 ? "start" : runcs == 3 ? "delete" : "other"; runcpid[pid] = name; mark("runc_" name "_exec") }
  else if (file == "/bin/true") { truepid = pid; mark("true_exec") }
  next
}
event == "sched:sched_process_exit" {
  if (pid != tid || !run) next
  if (pid == ctrpid) mark("ctr_exit")
  else if (pid in runcpid) { mark("runc_" runcpid[pid] "_exit"); delete runcpid[pid] }
  else if (pid == truepid) mark("true_exit")
  next
}
event == "syscalls:sys_enter_connect" { if (run && pid == ctrpid && tid == ctrpid) mark("connect"); next }
event == "syscalls:sys_enter_mount" { if (run && pid == tenond && ((run, "task_create") in at)) mark("rootfs_mount"); next }
event == "syscalls:sys_enter_umount" { if (run && pid == tenond && ((run, "task_delete") in at)) mark("rootfs_umount"); next }
index(event, group ":") == 1 { name = substr(event, length(group) + 2); sub(/__return$/, "", name); if (run) mark(name); next }
END {
  # phase: label, from mark, to mark
  n = split("ctr start-up (exec to connect)|ctr_exec|connect;" \
            "connect, bootstrap|connect|lease_create;" \
            "lease create|lease_create|unpack;" \
            "unpack check (transfer.unpack)|unpack|prepare;" \
            "snapshot prepare|prepare|container_create;" \
            "container record|container_create|lease_delete;" \
            "lease delete, FIFOs|lease_delete|task_create;" \
            "task create: rootfs mount|task_create|rootfs_mount;" \
            "task create: bundle, shim spawn|rootfs_mount|shim_exec;" \
            "task create: shim start-up|shim_exec|runc_create_exec;" \
            "task create: runc create|runc_create_exec|runc_create_exit;" \
            "task create: reply, start request|runc_create_exit|task_start;" \
            "start: to runc start|task_start|runc_start_exec;" \
            "start: runc start|runc_start_exec|runc_start_exit;" \
            "container: true exits|runc_start_exit|true_exit;" \
            "exit report, wait reply|true_exit|drain;" \
            "ctr: stdio drain|drain|drained;" \
            "ctr: delete request|drained|task_delete;" \
            "delete: to runc delete|task_delete|runc_delete_exec;" \
            "delete: runc delete|runc_delete_exec|runc_delete_exit;" \
            "delete: shim exit, rootfs umount|runc_delete_exit|rootfs_umount;" \
            "delete: bundle removal, reply|rootfs_umount|container_get;" \
            "containers get+delete, snapshot rm|container_get|snapshot_remove;" \
            "snapshot rm reply, ctr exit|snapshot_remove|ctr_exit;" \
            "total (ctr exec to exit)|ctr_exec|ctr_exit", phases, ";")
  good = 0
  for (r = 1; r <= run; r++) {
    ok = 1
    for (p = 1; p <= n; p++) { split(phases[p], q, "|"); if (!((r, q[2]) in at) || !((r, q[3]) in at)) { ok = 0; missing = q[2] " or " q[3] } }
    if (!ok) { printf "run %d left out: no mark %s\n", r, missing > "/dev/stderr"; continue }
    good++
    for (p = 1; p <= n; p++) { split(phases[p], q, "|"); d[p, good] = at[r, q[3]] - at[r, q[2]] }
  }
  if (!good) { print "no complete run recorded" > "/dev/stderr"; exit 1 }
  printf "%-40s %8s %8s\n", "phase of ctr run --rm true (tenon)", "mean", "median"
  for (p = 1; p <= n; p++) {
    split(phases[p], q, "|")
    sum = 0; for (i = 1; i <= good; i++) { v[i] = d[p, i]; sum += v[i] }
    for (i = 2; i <= good; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
    median = good % 2 ? v[(good + 1) / 2] : (v[good / 2] + v[good / 2 + 1]) / 2
    if (p == n) printf "%-40s %8s %8s\n", "", "--------", "--------"
    printf "%-40s %8.2f %8.2f\n", q[1], sum / good, median
  }
  printf "(ms, %d runs; phases that end at an RPC handler include the reply before it and ctr in between)\n", good
}' "$bench_tmp/perf.txt"
