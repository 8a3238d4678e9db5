# Shared by the benchmarks: a private tenond (and, as a baseline, a private containerd) on temp roots, timing, and a table.
# Benchmarks run on demand (never in the test suite) and print ratios measured in one run.

build=${BUILD:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build}
tenond_bin=$build/core/tenond
ctr_bin=$build/tools/ctr/ctr

bench_tmp=$(mktemp -d "${TMPDIR:-/tmp}/tenon-bench-XXXXXX")
tenond_pid=""
containerd_pid=""
# Stops the daemons this script started (by pid; SIGKILL after 10 s), deletes
# the containers still in a runc root under $bench_tmp (`runc delete --force`
# kills their processes), stops the shims whose command line names $bench_tmp
# (tenon-shim-runc and containerd-shim-runc-v2 outlive their daemon by
# design), unmounts whatever is still mounted under $bench_tmp (deepest first,
# so rm never reaches into a mount), then removes it. Best effort: no step
# stops the ones after it (set +e; it runs as the EXIT trap).
bench_cleanup() {
  local pid state root shims
  set +e
  for pid in "$tenond_pid" "$containerd_pid"; do
    [[ -n $pid ]] && kill -TERM "$pid" 2>/dev/null && stop_pid "$pid" 10
  done
  # <root>/<id>/state.json: the containers runc knows of, in any runc root here.
  find "$bench_tmp" -xdev -path '*/runc/*/state.json' 2>/dev/null | while read -r state; do
    root=$(dirname "$(dirname "$state")")
    runc --root "$root" delete --force "$(basename "$(dirname "$state")")" >/dev/null 2>&1 || true
  done
  shims=$(bench_shims tenon-shim-runc; bench_shims containerd-shim)
  for pid in $shims; do kill -TERM "$pid" 2>/dev/null; done
  for pid in $shims; do stop_pid "$pid" 2; done
  unmount_under "$bench_tmp"
  rm -rf "$bench_tmp"
}
trap bench_cleanup EXIT

# Unmounts (lazily) whatever is mounted at or under directory $1, deepest first.
unmount_under() {
  awk -v dir="$1" '$2 == dir || index($2, dir "/") == 1 { print $2 }' /proc/self/mounts |
    sort -r | while read -r point; do umount -l "$point"; done
}

# Waits up to $2 seconds for pid $1 to go (a child of this shell or not; a
# zombie counts as gone), then sends it SIGKILL; reaps it if it is a child.
stop_pid() {
  local pid=$1 i
  for ((i = 0; i < $2 * 20; i++)); do
    [[ $(ps -o stat= -p "$pid" 2>/dev/null) == [^Z]* ]] || break
    sleep 0.05
  done
  kill -KILL "$pid" 2>/dev/null || true  # (under set -e: gone already is fine)
  wait "$pid" 2>/dev/null || true
  return 0
}

# Pids of the processes named $1 (comm: at most 15 characters, such as
# tenon-shim-runc or containerd-shim) whose command line names $bench_tmp:
# the shims of this benchmark's daemons, and no one else's.
bench_shims() {
  local dir
  for dir in /proc/[0-9]*; do
    [[ $(cat "$dir/comm" 2>/dev/null) == "$1" ]] || continue
    tr '\0' ' ' < "$dir/cmdline" 2>/dev/null | grep -qF "$bench_tmp/" && echo "${dir#/proc/}"
  done
  return 0
}

# Starts tenond with the in-tree plugins on a root under $bench_tmp; sets $address.
start_tenond() {
  local plugins
  plugins=$(find "$build/plugins" -name '*.so' -printf '"%p",' | sed 's/,$//')
  cat > "$bench_tmp/config.toml" <<TOML
root = "$bench_tmp/root"
state = "$bench_tmp/state"
plugin_dirs = []
plugin_files = [$plugins]
[log]
level = "warn"
[rpc]
address = "$bench_tmp/tenon.sock"
[gc]
interval = 0  # no timer run inside a measurement
TOML
  address=$bench_tmp/tenon.sock
  "$tenond_bin" --config "$bench_tmp/config.toml" 2>"$bench_tmp/tenond.log" &
  tenond_pid=$!
  for _ in $(seq 100); do "$ctr_bin" -a "$address" version >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "tenond did not start:"; cat "$bench_tmp/tenond.log"; exit 1
}

# Stops the tenond that start_tenond started and deletes its root and state,
# so that the next start_tenond begins cold.
stop_tenond() {
  kill -TERM "$tenond_pid" && stop_pid "$tenond_pid" 10
  tenond_pid=""
  unmount_under "$bench_tmp/root"
  unmount_under "$bench_tmp/state"
  rm -rf "$bench_tmp/root" "$bench_tmp/state"
}

# Starts Debian's containerd (a baseline) on a root, state and unix socket
# under $bench_tmp, with a generated config: the CRI plugin off, GC only when
# asked (containerd_gc; by default it runs every 100 mutations, and would
# collect what a benchmark made without a lease in between), and `extra` TOML
# appended (plugin tables such as [plugins."io.containerd.snapshotter.v1.overlayfs"]).
# Sets $containerd_address and $containerd_ctr (its own ctr, not tenon's).
# Usage: start_containerd [EXTRA_TOML]
start_containerd() {
  local extra=${1:-} dir=$bench_tmp/containerd
  containerd_ctr=${CONTAINERD_CTR:-/usr/bin/ctr}
  containerd_address=$bench_tmp/containerd.sock
  mkdir -p "$dir"
  cat > "$dir/config.toml" <<TOML
version = 2
root = "$dir/root"
state = "$dir/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$containerd_address"
[ttrpc]
  address = "$containerd_address.ttrpc"
[debug]
  level = "warn"
[plugins."io.containerd.internal.v1.opt"]
  path = "$dir/opt"
[plugins."io.containerd.gc.v1.scheduler"]
  mutation_threshold = 1000000
$extra
TOML
  containerd --config "$dir/config.toml" 2>"$dir/containerd.log" &
  containerd_pid=$!
  for _ in $(seq 100); do "$containerd_ctr" -a "$containerd_address" version >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "containerd did not start:"; cat "$dir/containerd.log"; exit 1
}

# Stops the containerd that start_containerd started and deletes its root,
# state and opt directories, so that the next start_containerd begins cold.
stop_containerd() {
  local dir=$bench_tmp/containerd
  kill -TERM "$containerd_pid" && stop_pid "$containerd_pid" 10
  containerd_pid=""
  unmount_under "$dir"
  rm -rf "$dir/root" "$dir/state" "$dir/opt"
}

# Runs containerd's garbage collection now and waits for it (deleting a lease
# with --sync does that), in namespace $1 (default "default"). containerd
# removes a snapshot's directories here, not in `ctr snapshots rm`.
containerd_gc() {
  local lease
  lease=$("$containerd_ctr" -a "$containerd_address" -n "${1:-default}" leases create | awk '{print $1}')
  "$containerd_ctr" -a "$containerd_address" -n "${1:-default}" leases delete --sync "$lease" >/dev/null
}

# Seconds (with fractions) that "$@" takes; its output is discarded.
seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

# Runs "$@" with its output (stdout and stderr) kept aside, shown only if it fails.
quietly() {
  "$@" > "$bench_tmp/quietly.log" 2>&1 || { local rc=$?; cat "$bench_tmp/quietly.log"; return "$rc"; }
}

row() { printf '%-34s %10s %12s %8s\n' "$@"; }
