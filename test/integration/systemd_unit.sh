#!/usr/bin/env bash
# The shipped unit passes `systemd-analyze verify` with no complaint, keeps the
# directives containers depend on, and tenond really sends READY=1 once it
# serves (checked with a NOTIFY_SOCKET of our own).
# Usage: systemd_unit.sh UNIT_TEMPLATE TENOND TEST_PLUGIN_DIR
set -euo pipefail
template=$1 tenond=$2 plugin_dir=$3
tmp=$(mktemp -d /tmp/tenon-systemd-XXXXXX)
pid=""
cleanup() { [[ -n $pid ]] && kill -KILL "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

sed "s|@TENOND@|$tenond|" "$template" > "$tmp/tenond.service"
if ! out=$(systemd-analyze verify "$tmp/tenond.service" 2>&1) || [[ -n $out ]]; then
  echo "systemd-analyze verify complained:"; echo "$out"; exit 1
fi
for directive in Type=notify KillMode=process Delegate=yes Restart=always TasksMax=infinity OOMScoreAdjust=-999; do
  grep -qx "$directive" "$tmp/tenond.service" || { echo "unit lacks $directive"; exit 1; }
done

# READY=1 arrives on NOTIFY_SOCKET, and only once the socket serves.
cat > "$tmp/config.toml" <<TOML
root = "$tmp/root"
state = "$tmp/state"
plugin_dirs = ["$plugin_dir"]
[rpc]
address = "$tmp/tenon.sock"
TOML
python3 - "$tmp/notify.sock" "$tmp/tenon.sock" "$tmp/ready" <<'PY' &
import os, socket, sys
notify, served, out = sys.argv[1:]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(notify)
s.settimeout(20)
msg = s.recv(4096).decode()
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
c.connect(served)  # must already accept connections when READY=1 arrives
open(out, "w").write(msg)
PY
listener=$!
for _ in $(seq 100); do [[ -S $tmp/notify.sock ]] && break; sleep 0.05; done
NOTIFY_SOCKET=$tmp/notify.sock "$tenond" --config "$tmp/config.toml" 2>"$tmp/log" &
pid=$!
wait "$listener" || { echo "no READY=1 from tenond, or its socket did not serve"; cat "$tmp/log"; exit 1; }
grep -q "READY=1" "$tmp/ready" || { echo "notification was: $(cat "$tmp/ready")"; exit 1; }
kill -TERM "$pid"; wait "$pid"; pid=""
echo "systemd unit verified; READY=1 received once serving"
