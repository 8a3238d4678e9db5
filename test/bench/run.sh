#!/usr/bin/env bash
# Container start-up and shim memory, in one run, on the same busybox image
# (scripts/make-busybox-image) and host:
#  1. ITERATIONS (20) runs of `true` in a new container each, three ways:
#       tenon:       ctr run --rm IMAGE ID true                 (image imported once)
#       containerd:  its ctr run --rm IMAGE ID true             (Debian's, own root,
#                    state and socket; the image imported once, overlayfs)
#       runc:        runc --root DIR run -b BUNDLE ID           (the floor: the same
#                    rootfs unpacked once with umoci, config.json from `runc spec`
#                    with args ["true"] and terminal false; a foreground `runc run`
#                    deletes its container when the process exits)
#     Each iteration runs the three in turn, who goes first rotating, with a
#     new container id each (nothing is warmed up beforehand: the first
#     iteration pays for the page cache, for all three). Wall time per run,
#     client start-up included, output discarded. Prints the mean and median
#     ms per run and their ratios to runc's. Goal: tenon <= 1.3x runc.
#  2. CONTAINERS (50) detached containers (`ctr run -d IMAGE ID sleep 1000`)
#     on each daemon, then VmRSS (and PSS) of tenon-shim-runc vs
#     containerd-shim-runc-v2 processes: summed, per shim and per container
#     (containerd's runc v2 shim groups containers by sandbox label; `ctr run`
#     sets none, so it runs one shim per container too; counted, not assumed).
#     Then every task is killed (SIGKILL), waited for and deleted, and every
#     container removed, through each daemon's own ctr.
# Needs root, runc, umoci, containerd and /usr/bin/ctr (containerd's ctr).
# Everything lives under a temp dir (containerd's ctr is given --fifo-dir and
# --runc-root there too), removed at the end; lib.sh's cleanup also deletes
# leftover containers and stops leftover shims of this run. Outside it: the
# namespace's cgroups, and /run/containerd/s (containerd's shim sockets, a
# fixed path), removed at the end when empty (/run/containerd if this made it).
# Where tenon's time goes: test/bench/run_profile.sh.
# Usage: test/bench/run.sh [ITERATIONS] [CONTAINERS]   (BUILD=dir to pick a build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
iterations=${1:-20}
containers=${2:-50}
systems=(tenon containerd runc)
# A namespace of this run's own: containerd puts its containers' cgroups
# under /<namespace>/ and tenon under /tenon/<namespace>/; both are removed at
# the end (remove_outside) once empty.
ns=run-bench-$(tr A-Z a-z <<< "${bench_tmp##*-}")
image=busybox:latest

# containerd's runc v2 shim puts its sockets in /run/containerd/s whatever the
# daemon's state dir; what it created there goes too.
[[ -e /run/containerd ]] && made_run_containerd="" || made_run_containerd=1
remove_outside() {
  local dir
  [[ -n $made_run_containerd ]] && rmdir /run/containerd/s /run/containerd 2>/dev/null
  for dir in /sys/fs/cgroup/*/"$ns" /sys/fs/cgroup/*/tenon/"$ns" /sys/fs/cgroup/"$ns" /sys/fs/cgroup/tenon/"$ns"; do
    [[ -d $dir ]] && rmdir "$dir" 2>/dev/null
  done
  return 0
}
trap 'bench_cleanup; remove_outside' EXIT

quietly "$here/../../scripts/make-busybox-image" "$bench_tmp/busybox.tar" "$image"

# runc's bundle: the image's rootfs, unpacked once, and runc's own default spec.
mkdir "$bench_tmp/layout"
tar -xf "$bench_tmp/busybox.tar" -C "$bench_tmp/layout"
bundle=$bench_tmp/bundle
umoci unpack --image "$bench_tmp/layout:$image" "$bundle" >/dev/null
rm "$bundle/config.json"
runc spec --bundle "$bundle"
jq '.process.args = ["true"] | .process.terminal = false' "$bundle/config.json" > "$bundle/config.json.new"
mv "$bundle/config.json.new" "$bundle/config.json"
runc_root=$bench_tmp/runc

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start_tenond
start_containerd
tenon=("$ctr_bin" -a "$address" -n "$ns")
containerd=("$containerd_ctr" -a "$containerd_address" -n "$ns")
# What containerd's ctr run needs to keep its FIFOs and runc's state under $bench_tmp.
containerd_run=(run --snapshotter overlayfs --fifo-dir "$bench_tmp/containerd/fifo"
                --runc-root "$bench_tmp/containerd/runc")
quietly "${tenon[@]}" images import "$bench_tmp/busybox.tar"
quietly "${containerd[@]}" images import --snapshotter overlayfs "$bench_tmp/busybox.tar"

# One run of `true` in a new container ($2) by system $1.
run_true() {
  case $1 in
    tenon) "${tenon[@]}" run --rm "$image" "$2" true ;;
    containerd) "${containerd[@]}" "${containerd_run[@]}" --rm "$image" "$2" true ;;
    runc) runc --root "$runc_root" run -b "$bundle" "$2" ;;
  esac
}

# µs per run, one line per run, in $bench_tmp/us.<system>.
for ((i = 0; i < iterations; i++)); do
  first=$((i % ${#systems[@]}))
  for ((k = 0; k < ${#systems[@]}; k++)); do
    system=${systems[(first + k) % ${#systems[@]}]}
    start=${EPOCHREALTIME/./}
    run_true "$system" "run-$i" </dev/null >/dev/null
    end=${EPOCHREALTIME/./}
    echo $((end - start)) >> "$bench_tmp/us.$system"
  done
done
# Nothing may stay behind a run: no container, no task, no runc state.
[[ -z $("${tenon[@]}" containers ls -q) && -z $("${containerd[@]}" containers ls -q) ]] ||
  { echo "a ctr run --rm left a container behind"; exit 1; }
[[ -z $(runc --root "$runc_root" list -q) ]] || { echo "runc run left a container behind"; exit 1; }

# Mean and median of a system's runs, in µs: "MEAN MEDIAN".
stats() {
  sort -n "$bench_tmp/us.$1" |
    awk '{ v[NR] = $1; s += $1 } END { printf "%.0f %.0f", s / NR, NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ms() { printf '%.1f' "$(echo "$1 / 1000" | bc -l)"; }
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }

declare -A mean median
for system in "${systems[@]}"; do
  read -r "mean[$system]" "median[$system]" <<< "$(stats "$system")"
done

# Shim memory: CONTAINERS detached `sleep 1000` containers per daemon, started in turns.
declare -A start_us=([tenon]=0 [containerd]=0)
for ((i = 0; i < containers; i++)); do
  for system in tenon containerd; do
    start=${EPOCHREALTIME/./}
    if [[ $system == tenon ]]; then
      "${tenon[@]}" run -d "$image" "idle-$i" sleep 1000 >/dev/null
    else
      "${containerd[@]}" "${containerd_run[@]}" -d "$image" "idle-$i" sleep 1000 >/dev/null
    fi
    end=${EPOCHREALTIME/./}
    start_us[$system]=$((start_us[$system] + end - start))
  done
done
sleep 1  # let the shims settle after their start-up

# kib FIELD PID...: the sum of a /proc/PID/status field (VmRSS) or smaps_rollup field (Pss), in KiB.
kib() {
  local field=$1 pid sum=0 value file
  shift
  for pid in "$@"; do
    file=/proc/$pid/status
    [[ $field == Pss ]] && file=/proc/$pid/smaps_rollup
    value=$(awk -v f="$field:" '$1 == f { print $2 }' "$file")
    sum=$((sum + value))
  done
  echo "$sum"
}
tenon_shims=($(bench_shims tenon-shim-runc))
containerd_shims=($(bench_shims containerd-shim))
declare -A rss pss shims
rss[tenon]=$(kib VmRSS "${tenon_shims[@]}")
pss[tenon]=$(kib Pss "${tenon_shims[@]}")
shims[tenon]=${#tenon_shims[@]}
rss[containerd]=$(kib VmRSS "${containerd_shims[@]}")
pss[containerd]=$(kib Pss "${containerd_shims[@]}")
shims[containerd]=${#containerd_shims[@]}
declare -A daemon_rss=([tenon]=$(kib VmRSS "$tenond_pid") [containerd]=$(kib VmRSS "$containerd_pid"))
declare -A running=([tenon]=$("${tenon[@]}" tasks ls -q | wc -l))
running[containerd]=$("${containerd[@]}" tasks ls -q | wc -l)

# Every idle container goes: tasks killed, waited for, deleted; then the containers.
ids=()
for ((i = 0; i < containers; i++)); do ids+=("idle-$i"); done
for id in "${ids[@]}"; do
  "${tenon[@]}" tasks kill -s KILL "$id"
  "${containerd[@]}" tasks kill -s SIGKILL "$id"
done
for id in "${ids[@]}"; do
  "${tenon[@]}" tasks wait "$id" >/dev/null || true  # exits with the task's status (137)
done
# containerd's ctr has no `tasks wait`: poll until no task is left running.
for _ in $(seq 200); do
  "${containerd[@]}" tasks ls | awk 'NR > 1 && $3 != "STOPPED" { busy = 1 } END { exit !busy }' || break
  sleep 0.05
done
"${tenon[@]}" tasks rm "${ids[@]}" >/dev/null
quietly "${containerd[@]}" tasks rm "${ids[@]}"  # warns of each exit status 137
"${tenon[@]}" containers rm "${ids[@]}" >/dev/null
"${containerd[@]}" containers rm "${ids[@]}" >/dev/null
sleep 0.5  # the shims exit once their container's task is deleted
left_tenon=$(bench_shims tenon-shim-runc | wc -l)
left_containerd=$(bench_shims containerd-shim | wc -l)

echo "ctr run --rm of \`true\`, $iterations runs each, turns rotating (ms per run, wall time, client included)"
printf '%-40s %9s %9s %12s %12s\n' "what" "mean" "median" "mean ratio" "median ratio"
label() {
  case $1 in
    tenon) echo "tenon ctr run --rm" ;;
    containerd) echo "containerd $(containerd --version | awk '{print $3}') ctr run --rm" ;;
    runc) echo "runc $(runc --version | awk 'NR == 1 { print $3 }') run (bare, the floor)" ;;
  esac
}
for system in runc tenon containerd; do
  printf '%-40s %9s %9s %12s %12s\n' "$(label "$system")" "$(ms "${mean[$system]}")" "$(ms "${median[$system]}")" \
    "$(ratio "${mean[$system]}" "${mean[runc]}")" "$(ratio "${median[$system]}" "${median[runc]}")"
done
echo "(ratio = time / bare runc's; goal for tenon <= 1.30. $(nproc) CPUs, load average $load_before before," \
  "$(cut -d' ' -f1-3 /proc/loadavg) after; the turns spread other work on the host over all three)"
echo
echo "$containers detached \`sleep 1000\` containers per daemon (KiB; PSS shares what the shims map in common)"
printf '%-26s %6s %6s %10s %10s %10s %10s %12s %10s\n' "shims" "tasks" "shims" "RSS sum" "RSS/shim" "RSS/ctr" "PSS sum" "daemon RSS" "run -d ms"
for system in tenon containerd; do
  if [[ $system == tenon ]]; then name=tenon-shim-runc; else name=containerd-shim-runc-v2; fi
  printf '%-26s %6s %6s %10s %10s %10s %10s %12s %10s\n' "$name" "${running[$system]}" "${shims[$system]}" \
    "${rss[$system]}" "$(( rss[$system] / (shims[$system] ? shims[$system] : 1) ))" \
    "$(( rss[$system] / containers ))" "${pss[$system]}" "${daemon_rss[$system]}" \
    "$(printf '%.1f' "$(echo "${start_us[$system]} / 1000 / $containers" | bc -l)")"
done
printf 'RSS per container, containerd/tenon: %s\n' "$(ratio "${rss[containerd]}" "${rss[tenon]}")"
(( left_tenon == 0 && left_containerd == 0 )) ||
  echo "note: shims still running after the containers were removed: tenon $left_tenon, containerd $left_containerd (cleanup stops them)"
