#!/usr/bin/env bash
# A plugin built out of tree against the INSTALLED SDK loads into tenond:
# install tenon into a temp DESTDIR, build test/out-of-tree-plugin with only
# pkg-config pointing there, name the .so in a config, and check `ctr plugins ls`.
# Usage: out_of_tree_plugin.sh MESON BUILD_DIR PLUGIN_SRC PREFIX LIBDIR TENOND CTR
set -euo pipefail
meson=$1 build=$2 plugin_src=$3 prefix=$4 libdir=$5 tenond=$6 ctr=$7
unset TENON_ADDRESS TENON_NAMESPACE  # ctr must talk to our daemon, in the default namespace
tmp=$(mktemp -d /tmp/tenon-out-of-tree-XXXXXX)
pid=""
cleanup() {
  if [[ -n $pid ]]; then kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [[ -f $tmp/tenond.log ]] && { echo "--- tenond log:" >&2; cat "$tmp/tenond.log" >&2; }; exit 1; }

# 1. Install the main project as a packager would, but into $tmp/dest.
"$meson" install -C "$build" --no-rebuild --quiet --destdir "$tmp/dest"
pcdir=$tmp/dest$prefix/$libdir/pkgconfig
[[ -f $pcdir/tenon-sdk.pc ]] || fail "no tenon-sdk.pc installed in $pcdir"

# 2. Build the plugin with the SDK found through pkg-config alone.
export PKG_CONFIG_PATH=$pcdir PKG_CONFIG_SYSROOT_DIR=$tmp/dest
cflags=$(pkg-config --cflags tenon-sdk)
[[ $cflags == *"-I$tmp/dest$prefix/include"* ]] || fail "tenon-sdk cflags do not point into the DESTDIR: $cflags"
"$meson" setup "$tmp/build" "$plugin_src" >"$tmp/setup.log" 2>&1 || { cat "$tmp/setup.log"; fail "meson setup"; }
ninja -C "$tmp/build" >"$tmp/ninja.log" 2>&1 || { cat "$tmp/ninja.log"; fail "building the plugin"; }
plugin=$tmp/build/call-counter.so
[[ -f $plugin ]] || fail "no $plugin"
# The compiler really read the installed headers, not the source tree's.
deps=$(ninja -C "$tmp/build" -t deps)
grep -qF "$tmp/dest$prefix/include/tenon/plugin.hpp" <<<"$deps" || fail "plugin.hpp was not read from the DESTDIR"
if grep -q "sdk/include/tenon" <<<"$deps"; then fail "the in-tree SDK headers were used"; fi

# 3. Start the in-tree tenond with a config that names the plugin's file.
cat >"$tmp/config.toml" <<TOML
root = "$tmp/root"
state = "$tmp/state"
plugin_dirs = []
[rpc]
address = "$tmp/tenon.sock"
[plugins."metrics.call-counter"]
path = "$plugin"
greeting = "hello from the config"
TOML
"$tenond" --config "$tmp/config.toml" >"$tmp/tenond.log" 2>&1 &
pid=$!
for _ in $(seq 200); do
  "$ctr" --address "$tmp/tenon.sock" version >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || fail "tenond exited before serving"
  sleep 0.05
done
"$ctr" --address "$tmp/tenon.sock" version >/dev/null || fail "tenond does not serve after 10 s"

# 4. The plugin is loaded with its service and got its own config table.
"$ctr" --address "$tmp/tenon.sock" plugins ls --format json >"$tmp/plugins.json"
python3 - "$tmp/plugins.json" "$plugin" <<'PY' || fail "plugins ls: $(cat "$tmp/plugins.json")"
import json, sys
plugins, path = json.load(open(sys.argv[1])), sys.argv[2]
[p] = [p for p in plugins if (p["type"], p["id"]) == ("metrics", "call-counter")]
assert p["state"] == "loaded", p
assert p["error"] == "", p
assert p["path"] == path, p
assert p["version"] == "1.0", p
assert p["services"] == ["metrics/call-counter"], p
PY
grep -q 'call counter ready, config: .*hello from the config' "$tmp/tenond.log" || fail "no ready line with the config"

# 5. Stop it by pid: exit 0, and the plugin's destructor ran.
kill -TERM "$pid"
for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
status=0
if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; wait "$pid" || true; pid=""; fail "tenond ignored SIGTERM for 10 s"; fi
wait "$pid" || status=$?
pid=""
[[ $status == 0 ]] || fail "tenond exited with $status after SIGTERM"
grep -q "call counter stopping" "$tmp/tenond.log" || fail "the plugin was not finalised"
echo "out-of-tree plugin built against the installed SDK and loaded"
