# Shared by the benchmarks: a private tenond on a temp root, timing, and a table.
# Benchmarks run on demand (never in the test suite) and print ratios measured in one run.

build=${BUILD:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build}
tenond_bin=$build/core/tenond
ctr_bin=$build/tools/ctr/ctr

bench_tmp=$(mktemp -d /tmp/tenon-bench-XXXXXX)
tenond_pid=""
bench_cleanup() {
  [[ -n $tenond_pid ]] && kill -TERM "$tenond_pid" 2>/dev/null && wait "$tenond_pid" 2>/dev/null
  rm -rf "$bench_tmp"
}
trap bench_cleanup EXIT

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
TOML
  address=$bench_tmp/tenon.sock
  "$tenond_bin" --config "$bench_tmp/config.toml" 2>"$bench_tmp/tenond.log" &
  tenond_pid=$!
  for _ in $(seq 100); do "$ctr_bin" -a "$address" version >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "tenond did not start:"; cat "$bench_tmp/tenond.log"; exit 1
}

# Seconds (with fractions) that "$@" takes; its output is discarded.
seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

row() { printf '%-34s %10s %12s %8s\n' "$@"; }
