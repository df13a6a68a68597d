#!/usr/bin/env bash
# bench/startup/timeline.sh — WebKit's own breakdown of the first calendar
# frame (script, style, layout, paint; JS samples by component), to see what
# run.sh's first-paint figure is made of. Starts the app built by run.sh
# (bench/out/pauta, its demo workspace) under Xvfb with WebKit's inspector
# server on, reloads the page through it and prints the report
# (timeline.mjs). Names in the JS samples are minified: for readable ones,
# build without minify first (vite build --minify false, then make build).
#   bash bench/startup/run.sh   # once: builds bench/out/pauta and its workspace
#   bash bench/startup/timeline.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$ROOT/bench/out
PORT=${BENCH_INSPECTOR_PORT:-9333}
[ -x "$OUT/pauta" ] && [ -d "$OUT/pauta-data" ] || { echo "timeline: run bench/startup/run.sh first (it builds $OUT/pauta and its workspace)" >&2; exit 1; }
node --version | grep -qE '^v(2[1-9]|20\.(1[0-9]|[2-9][0-9]))' || { echo "timeline: needs Node 20.10+ (WebSocket)" >&2; exit 1; }
if [ "${1:-}" != --inner ]; then
  exec setsid bash "$ROOT/scripts/with-keyring.sh" xvfb-run -a -n "${BENCH_DISPLAY:-99}" -s "-screen 0 1280x900x24" bash "$0" --inner
fi
WEBKIT_INSPECTOR_HTTP_SERVER=127.0.0.1:$PORT "$OUT/pauta" --data-dir "$OUT/pauta-data" >"$OUT/timeline-app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null; wait $app 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  curl -fs "http://127.0.0.1:$PORT/" >/dev/null 2>&1 && break
  sleep 0.2
done
sleep 1 # the first load settles before the measured reload
node --experimental-websocket --no-warnings "$ROOT/bench/startup/timeline.mjs" "ws://127.0.0.1:$PORT/socket/1/1/WebPage"
