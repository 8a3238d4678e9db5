#!/usr/bin/env bash
# Ingest throughput: `ctr content ingest` of a 1 GiB blob next to `sha256sum`
# of the same file (the floor: reading and hashing it once). Goal: ratio >= 0.8.
# Usage: test/bench/content_ingest.sh [SIZE_MIB]   (BUILD=dir to pick a build)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
size_mib=${1:-1024}

start_tenond
file=$bench_tmp/blob
head -c "$((size_mib << 20))" /dev/urandom > "$file"
sync                    # no writeback of the input competes with either run
cat "$file" > /dev/null  # both runs start from the page cache

base=$(seconds sha256sum "$file")
ours=$(seconds sh -c "'$ctr_bin' -a '$address' content ingest bench-blob < '$file'")
mib=$size_mib
row "what" "seconds" "MiB/s" "ratio"
row "sha256sum" "$(printf %.2f "$base")" "$(printf %.0f "$(echo "$mib / $base" | bc -l)")" "1.00"
row "ctr content ingest (tenon)" "$(printf %.2f "$ours")" "$(printf %.0f "$(echo "$mib / $ours" | bc -l)")" \
    "$(printf %.2f "$(echo "$base / $ours" | bc -l)")"
echo "(ratio = throughput relative to sha256sum; goal >= 0.8)"
