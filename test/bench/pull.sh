#!/usr/bin/env bash
# Pull + unpack from a loopback registry, tenon next to Debian's containerd,
# and unpack alone next to `tar -xzf`, in one run, on two images:
#   busybox  scripts/make-busybox-image (one small layer)
#   big      ~200 MB in 5 gzip layers, built here once with umoci: two of
#            60 MiB of random (incompressible) data, one of 20,000 small
#            text files, one of text (/usr/include) and one of binaries
#            (/usr/bin), the last two capped at 24 MiB of this host's files
# Both are pushed with skopeo to Debian's docker-registry, started here on
# 127.0.0.1 (a free port) with its storage under the temp dir. Measured, wall
# time with the client's start-up, ITERATIONS (3) times, the median shown:
#   pull       tenon `ctr images pull --plain-http --quiet REF` (fetch and
#              unpack into overlayfs) vs containerd's `ctr images pull
#              --plain-http REF` (1.6 fetches, then unpacks into its default
#              snapshotter, overlayfs: both end with the image's snapshots)
#   unpack     tenon `ctr images unpack REF` of the pulled image, its
#              snapshots removed first, vs `tar -xzf` of the same layer blobs
#              one after the other into an empty directory
# Cold each time: each pull runs on a daemon started on a fresh root and
# state (its content store and snapshots empty), then stopped. The page cache
# is not dropped (the registry's blobs stay cached for every turn alike);
# `sync` runs before each measurement so that no writeback of an earlier turn
# overlaps it. Each iteration runs tenon, containerd and tar in turn, who goes
# first rotating. Every pull is checked: one committed snapshot per layer, the
# same chain ID in both daemons. Goal (issue 6): tenon >= 2x containerd on big.
# TRACE=1 also prints one more tenon pull of big with its progress lines,
# stamped with the ms since its start: where tenon's time goes.
# Needs root, containerd, /usr/bin/ctr (containerd's), docker-registry,
# skopeo, umoci, jq, curl and python3 (for a free port). Everything lives
# under a temp dir in $TMPDIR (/tmp by default), unmounted and removed at the
# end, with no daemon left. The daemons' roots are there too: TMPDIR=/dev/shm
# takes the disk out (on a slow disk, creating big's 20,000 files in the
# kernel can outweigh everything else, for both daemons alike).
# Usage: test/bench/pull.sh [ITERATIONS]   (BUILD=dir to pick a build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
iterations=${1:-3}
systems=(tenon containerd tar)
images=(busybox big)
ns=bench

registry_pid=""
stop_registry() {
  [[ -n $registry_pid ]] && kill -TERM "$registry_pid" 2>/dev/null && stop_pid "$registry_pid" 10
  return 0
}
trap 'set +e; stop_registry; bench_cleanup' EXIT

# Starts docker-registry on a free loopback port, storage under $bench_tmp; sets $registry (host:port).
start_registry() {
  local dir=$bench_tmp/registry port
  mkdir -p "$dir"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat > "$dir/config.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/storage
http:
  addr: 127.0.0.1:$port
YAML
  docker-registry serve "$dir/config.yml" > "$dir/log" 2>&1 &
  registry_pid=$!
  registry=127.0.0.1:$port
  for _ in $(seq 100); do curl -fsS "http://$registry/v2/" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "docker-registry did not start:"; cat "$dir/log"; exit 1
}

# copy_capped FROM TO MIB: copies FROM's regular files, in name order, until
# MIB MiB, into TO (keeping their paths below FROM).
copy_capped() {
  local list=$bench_tmp/copy.list
  (cd "$1" && find . -type f -printf '%s %p\n' | sort -k2 |
    awk -v cap=$(($3 << 20)) '{ sum += $1; if (sum <= cap) print substr($0, index($0, " ") + 1) }') > "$list"
  mkdir -p "$2"
  tar -C "$1" -cf - -T "$list" | tar -C "$2" -xf -
}

# repack_layer LAYOUT BUNDLE COMMENT: what was added to BUNDLE's rootfs since
# its last repack becomes one more gzip layer of LAYOUT's image (tag latest).
repack_layer() {
  umoci repack --refresh-bundle --history.created_by "$3" --image "$1:latest" "$2" >/dev/null
}

# Builds the big image as the OCI layout $1 (tag latest).
build_big_image() {
  local layout=$1 bundle=$bench_tmp/big-bundle rootfs d i
  umoci init --layout "$layout"
  umoci new --image "$layout:latest"
  umoci unpack --image "$layout:latest" "$bundle" >/dev/null
  rootfs=$bundle/rootfs
  for d in random-a random-b; do
    mkdir -p "$rootfs/$d"
    for i in 1 2 3 4; do head -c 15M /dev/urandom > "$rootfs/$d/blob-$i"; done
    repack_layer "$layout" "$bundle" "60 MiB of random data in /$d"
  done
  # 100 directories of 200 files of about 1.5 KiB of text each.
  for ((d = 0; d < 100; d++)); do
    mkdir -p "$rootfs/small/$d"
    head -c 225000 /dev/urandom | base64 > "$bench_tmp/text"
    split -n 200 -a 3 "$bench_tmp/text" "$rootfs/small/$d/file-"
  done
  rm "$bench_tmp/text"
  repack_layer "$layout" "$bundle" "20,000 small files in /small"
  copy_capped /usr/include "$rootfs/usr/include" 24
  repack_layer "$layout" "$bundle" "24 MiB of /usr/include"
  copy_capped /usr/bin "$rootfs/usr/bin" 24
  repack_layer "$layout" "$bundle" "24 MiB of /usr/bin"
  rm -rf "$bundle"
}

# layer_blobs LAYOUT: the paths of its one image's layer blobs, bottom first.
layer_blobs() {
  local manifest
  manifest=$(jq -r '.manifests[0].digest' "$1/index.json")
  jq -r '.layers[].digest' "$1/blobs/${manifest/://}" | sed "s|^sha256:|$1/blobs/sha256/|"
}

echo "building the images and pushing them to a loopback docker-registry..." >&2
start_registry
declare -A ref layout blobs layers gz_mib
layout[busybox]=$bench_tmp/busybox-layout
layout[big]=$bench_tmp/big-layout
quietly "$here/../../scripts/make-busybox-image" "$bench_tmp/busybox.tar" busybox:latest
mkdir "${layout[busybox]}"
tar -xf "$bench_tmp/busybox.tar" -C "${layout[busybox]}"
rm "$bench_tmp/busybox.tar"
build_big_image "${layout[big]}"
for image in "${images[@]}"; do
  ref[$image]=$registry/bench/$image:latest
  skopeo copy --quiet --dest-tls-verify=false "oci:${layout[$image]}" "docker://${ref[$image]}"
  blobs[$image]=$(layer_blobs "${layout[$image]}")
  layers[$image]=$(wc -l <<< "${blobs[$image]}")
  gz_mib[$image]=$(du -cm ${blobs[$image]} | awk 'END { print $1 }')
done

tenon=("$ctr_bin" -a "$bench_tmp/tenon.sock" -n "$ns")
containerd=(/usr/bin/ctr -a "$bench_tmp/containerd.sock" -n "$ns")

# timed NAME CMD...: runs CMD after a sync and appends its wall time (µs) to
# $bench_tmp/us.NAME; its output goes to $bench_tmp/out.log, shown if it fails.
timed() {
  local name=$1 start end
  shift
  sync
  start=${EPOCHREALTIME/./}
  "$@" > "$bench_tmp/out.log" 2>&1 || { local rc=$?; cat "$bench_tmp/out.log"; exit "$rc"; }
  end=${EPOCHREALTIME/./}
  echo $((end - start)) >> "$bench_tmp/us.$name"
}

# expect_snapshots IMAGE COUNT SYSTEM: the pull left one committed snapshot per layer.
expect_snapshots() {
  [[ $2 == "${layers[$1]}" ]] || { echo "$3: $2 committed snapshot(s) after the pull of $1, not ${layers[$1]}"; exit 1; }
}

# chain: the chain ID of IMAGE in each system, which must agree; unpacked: MiB that tar wrote.
declare -A chain unpacked

# Removes every snapshot of the namespace, the leaves of each round first; the
# GC run after each round may take parents that only their child held.
remove_tenon_snapshots() {
  local leaves
  while leaves=$("${tenon[@]}" snapshots ls --format json |
                 jq -r 'map(.parent) as $parents | .[].name | select(. as $key | $parents | index($key) | not)') &&
        [[ -n $leaves ]]; do
    "${tenon[@]}" snapshots rm $leaves >/dev/null
    "${tenon[@]}" gc >/dev/null
  done
}

# Pull (fresh tenond), then unpack alone: the snapshots removed top first, then unpacked again.
measure_tenon() {
  local image=$1 count
  start_tenond
  timed "pull.$image.tenon" "${tenon[@]}" images pull --plain-http --quiet "${ref[$image]}"
  count=$("${tenon[@]}" snapshots ls -q kind==committed | wc -l)
  expect_snapshots "$image" "$count" tenon
  remove_tenon_snapshots
  timed "unpack.$image.tenon" "${tenon[@]}" images unpack --quiet "${ref[$image]}"
  chain[$image.tenon]=$(< "$bench_tmp/out.log")
  stop_tenond
}

measure_containerd() {
  local image=$1 count
  start_containerd
  timed "pull.$image.containerd" "${containerd[@]}" images pull --plain-http --print-chainid "${ref[$image]}"
  chain[$image.containerd]=$(awk '/chain ID:/ { print $NF }' "$bench_tmp/out.log")
  count=$("${containerd[@]}" snapshots --snapshotter overlayfs ls | awk 'NR > 1 && $NF == "Committed"' | wc -l)
  expect_snapshots "$image" "$count" containerd
  stop_containerd
}

measure_tar() {
  local image=$1 dir=$bench_tmp/untar
  mkdir "$dir"
  timed "unpack.$image.tar" sh -c 'dir=$1; shift; for blob; do tar -xzf "$blob" -C "$dir" || exit; done' sh "$dir" ${blobs[$image]}
  unpacked[$image]=$(du -sm --apparent-size "$dir" | cut -f1)
  rm -rf "$dir"
}

echo "measuring, $iterations iteration(s)..." >&2
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((i = 0; i < iterations; i++)); do
  for image in "${images[@]}"; do
    for ((k = 0; k < ${#systems[@]}; k++)); do
      "measure_${systems[(i + k) % ${#systems[@]}]}" "$image"
    done
    [[ ${chain[$image.tenon]} == "${chain[$image.containerd]}" ]] ||
      { echo "$image: tenon's chain ID ${chain[$image.tenon]} is not containerd's ${chain[$image.containerd]}"; exit 1; }
  done
done

median() {
  sort -n "$bench_tmp/us.$1" | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ms() { printf '%.0f' "$(echo "$1 / 1000" | bc -l)"; }

# print_row LABEL NAME OTHER: the medians of us.NAME.tenon and us.NAME.OTHER and their ratio.
print_row() {
  local ours theirs
  ours=$(median "$2.tenon")
  theirs=$(median "$2.$3")
  printf '%-46s %9s %9s %7s %4s\n' "$1" "$(ms "$ours")" "$(ms "$theirs")" \
    "$(printf '%.2f' "$(echo "$theirs / $ours" | bc -l)")" "$iterations"
}

containerd_version=$(containerd --version | awk '{ print $3 }')
echo "pull + unpack from a loopback registry, cold (fresh daemon roots), median of $iterations (ms, wall time)"
printf '%-46s %9s %9s %7s %4s\n' "case" "tenon" "other" "ratio" "N"
for image in "${images[@]}"; do
  print_row "pull $image: vs containerd $containerd_version" "pull.$image" containerd
done
for image in "${images[@]}"; do
  print_row "unpack $image: vs tar -xzf" "unpack.$image" tar
done
for image in "${images[@]}"; do
  echo "  $image: ${layers[$image]} layer(s), ${gz_mib[$image]} MiB gzip, ${unpacked[$image]} MiB unpacked"
done
runs() { awk '{ printf " %.0f", $1 / 1000 }' "$bench_tmp/us.$1"; }
for image in "${images[@]}"; do
  echo "  each run (ms), pull $image: tenon$(runs "pull.$image.tenon"), containerd$(runs "pull.$image.containerd");" \
    "unpack: tenon$(runs "unpack.$image.tenon"), tar$(runs "unpack.$image.tar")"
done
echo "(ratio = other's time / tenon's: how many times faster tenon is; goal on pull big >= 2.00." \
  "$(nproc) CPUs, load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after)"

if [[ ${TRACE:-} == 1 ]]; then
  echo
  echo "tenon ctr images pull of big, progress lines stamped with ms since the start:"
  start_tenond
  sync
  start=${EPOCHREALTIME/./}
  "${tenon[@]}" images pull --plain-http "${ref[big]}" 2>&1 | while IFS= read -r line; do
    printf '%7d  %s\n' $(((${EPOCHREALTIME/./} - start) / 1000)) "$line"
  done
  stop_tenond
fi
