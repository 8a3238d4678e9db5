#!/usr/bin/env bash
# Snapshots on a deep chain: on a committed chain of LAYERS layers (50), time
# ITERATIONS (20) cycles of prepare + mount + unmount + remove of an active
# snapshot on top, tenon's overlayfs snapshotter next to Debian's containerd
# with its own, each through its own `ctr snapshots` the same way:
#   ctr snapshots prepare KEY TOP
#   ctr snapshots mounts TARGET KEY | sh      (mount(8), as a user would)
#   umount TARGET
#   ctr snapshots rm KEY
# The two take turns cycle by cycle (who goes first alternates), so that a
# change in the machine's load during the run weighs on both alike.
# containerd's `snapshots rm` only drops the record; its GC deletes the
# directories later (every 100 mutations by default). Its GC is run once at
# the end, timed, and its time shared out over containerd's rm column, so
# both rm columns delete the directories. Prints each step's mean in ms
# (client start-up included: Go's ctr and ours) and the ratio of the cycle
# times, measured in one run. Needs root (mounts), containerd and
# /usr/bin/ctr (containerd's ctr).
# Usage: test/bench/snapshots_chain.sh [ITERATIONS] [LAYERS]   (BUILD=dir to pick a build)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
iterations=${1:-20}
layers=${2:-50}
top=layer-$((layers - 1))
steps=(prepare mount umount rm)

# A system is named by the array holding its `ctr ... snapshots --snapshotter
# overlayfs`: containerd or tenon. step_us: µs spent by "<system>.<step>";
# target: each system's mount point.
declare -A step_us
declare -A target

# Runs "$@" and adds its wall time (µs) to step_us[$key]; output discarded.
timed() {
  local key=$1 start end
  shift
  start=${EPOCHREALTIME/./}
  "$@" >/dev/null
  end=${EPOCHREALTIME/./}
  step_us[$key]=$(( ${step_us[$key]:-0} + end - start ))
}

# mount_snapshot SYSTEM KEY: mounts KEY at the system's target with the lines its ctr prints.
mount_snapshot() {
  local -n snapshots=$1
  "${snapshots[@]}" mounts "${target[$1]}" "$2" | sh
}

# Commits the chain layer-0 <- ... <- layer-(LAYERS-1) in SYSTEM, each layer
# holding one file written through its mount, so that a mount of the whole
# chain shows whether every layer is in it.
build_chain() {
  local -n snapshots=$1
  local parent="" i
  for ((i = 0; i < layers; i++)); do
    "${snapshots[@]}" prepare "layer-$i-active" ${parent:+"$parent"} >/dev/null
    mount_snapshot "$1" "layer-$i-active"
    echo "$i" > "${target[$1]}/layer-$i"
    umount "${target[$1]}"
    "${snapshots[@]}" commit "layer-$i" "layer-$i-active"
    parent=layer-$i
  done
}

# One measured cycle in SYSTEM on key KEY; the mount must show the bottom and top layers.
cycle() {
  local -n snapshots=$1
  local key=$2 mnt=${target[$1]}
  timed "$1.prepare" "${snapshots[@]}" prepare "$key" "$top"
  timed "$1.mount" mount_snapshot "$1" "$key"
  [[ -e $mnt/layer-0 && -e $mnt/$top ]] || { echo "$1: the mount of $key lacks layers"; exit 1; }
  timed "$1.umount" umount "$mnt"
  timed "$1.rm" "${snapshots[@]}" rm "$key"
}

ms() { printf '%.2f' "$(echo "$1 / 1000 / $iterations" | bc -l)"; }

total_us() {
  local sum=0 step
  for step in "${steps[@]}"; do sum=$(( sum + step_us[$1.$step] )); done
  echo "$sum"
}

# print_row LABEL SYSTEM RATIO
print_row() {
  local cells=() step
  for step in "${steps[@]}"; do cells+=("$(ms "${step_us[$2.$step]}")"); done
  printf '%-32s %9s %9s %9s %9s %10s %7s\n' "$1" "${cells[@]}" "$(ms "$(total_us "$2")")" "$3"
}

# containerd's overlayfs under a short root_path: `ctr snapshots mounts | sh`
# hands mount(8) absolute lowerdirs, which must fit the one page mount(2)
# takes (containerd's own mount code would shorten them; mount(8) does not).
start_containerd "[plugins.\"io.containerd.snapshotter.v1.overlayfs\"]
  root_path = \"$bench_tmp/co\""
start_tenond
# tenon's GC runs soon after each deletion; the lease keeps the chain (and each cycle's snapshot) from it.
lease=$("$ctr_bin" -a "$address" -n bench leases create)
containerd=("$containerd_ctr" -a "$containerd_address" -n bench snapshots --snapshotter overlayfs)
tenon=("$ctr_bin" -a "$address" -n bench --lease "$lease" snapshots --snapshotter overlayfs)
for system in containerd tenon; do
  target[$system]=$bench_tmp/mnt-$system
  mkdir -p "${target[$system]}"
  build_chain "$system"
done
# What keeps containerd's chain through its GC (tenon's: the lease).
"${containerd[@]}" label "$top" containerd.io/gc.root=bench >/dev/null

for ((i = 0; i < iterations; i++)); do
  if ((i % 2 == 0)); then order=(containerd tenon); else order=(tenon containerd); fi
  for system in "${order[@]}"; do cycle "$system" "bench-$i"; done
done
timed containerd.rm containerd_gc bench
[[ $(ls "$bench_tmp/co/snapshots" | wc -l) == "$layers" ]] || { echo "containerd's GC left other than the chain"; exit 1; }

echo "$layers-layer chain, $iterations cycles of prepare + mount + umount + rm each (ms per cycle, mean)"
printf '%-32s %9s %9s %9s %9s %10s %7s\n' "what" "prepare" "mount" "umount" "rm" "cycle" "ratio"
print_row "containerd $(containerd --version | awk '{print $3}') overlayfs" containerd "1.00"
print_row "tenon overlayfs" tenon "$(printf '%.2f' "$(echo "$(total_us containerd) / $(total_us tenon)" | bc -l)")"
echo "(ratio = containerd's cycle time / tenon's: above 1, tenon is faster)"
