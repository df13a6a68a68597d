#!/usr/bin/env bash
# bench/calendar/run.sh — how fast the calendar paints a busy workspace.
# Seeds a temp data dir (bench/calendar/seed: 20 clients, 10,000 posts over a
# year centred on today, ~800 a month), starts `wails dev` on it (Xvfb, a
# private D-Bus session with a keyring, like e2e/run.sh), then bench.mjs
# drives Debian's Chromium through playwright-core against :34115 and times
# navigation click → two animation frames after the fetched posts are in
# the DOM. Goals: month open / next month < 100 ms, week < 150 ms (medians).
#   N=5                runs per case (after one warm-up)
#   BENCH_STRICT=1     exit 1 when a goal is missed
#   BENCH_KEEP=1       keep the seeded data dir
#   BENCH_DEV=1        measure vite's dev build instead of the production bundle
#   BENCH_PAUSE_MS     pause between samples (default 1000: the user reads the
#                      view; the calendar prefetches the neighbouring ranges)
#   BENCH_PORT         wails dev's port (default 34115; a shared machine gives
#                      each worker its own)
#   BENCH_PREVIEW_PORT vite preview's port (default 4179)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
export PATH="$(go env GOPATH)/bin:$PATH"
PORT=${BENCH_PORT:-34115}
OUT=$ROOT/bench/out/calendar
mkdir -p "$OUT"
say() { printf '[calendar-bench] %s\n' "$*"; }

http_ok() {
  node -e "fetch('http://localhost:$PORT/').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
}
if http_ok; then
  say "something already answers on :$PORT (another wails dev?); stop it first"
  exit 1
fi

DATA=$(mktemp -d "${TMPDIR:-/tmp}/pauta-calbench.XXXXXX")
say "seeding $DATA"
go run ./bench/calendar/seed -data-dir "$DATA"

# The production bundle (what users run), not vite's dev build: built into a
# temp dir and served by `vite preview`, which wails dev fronts with the live
# Go bindings (-frontenddevserverurl). BENCH_DEV=1 measures the dev build.
mkdir -p frontend/dist && [ -n "$(ls -A frontend/dist)" ] || touch frontend/dist/.gitkeep
DIST=$(mktemp -d "${TMPDIR:-/tmp}/pauta-calbench-dist.XXXXXX")
PREVIEW_PORT=${BENCH_PREVIEW_PORT:-4179}
FRONT=()
PREVIEW=
if [ "${BENCH_DEV:-}" != 1 ]; then
  say "building the frontend into $DIST"
  (cd frontend && npx vite build --outDir "$DIST" --emptyOutDir >"$OUT/vite-build.log" 2>&1)
  (cd frontend && exec setsid npx vite preview --outDir "$DIST" --port "$PREVIEW_PORT" --strictPort >"$OUT/vite-preview.log" 2>&1 </dev/null) &
  PREVIEW=$!
  FRONT=(-frontenddevserverurl "http://localhost:$PREVIEW_PORT")
fi
LANG=C.UTF-8 LC_ALL=C.UTF-8 setsid bash scripts/with-keyring.sh \
  xvfb-run -a -s "-screen 0 1600x900x24" wails dev -m -nosyncgomod -s -nogorebuild -noreload -nocolour -skipbindings \
  -tags webkit2_41 -devserver "localhost:$PORT" -viteservertimeout 120 "${FRONT[@]}" -appargs "--data-dir $DATA" \
  >"$OUT/wails-dev.log" 2>&1 </dev/null &
LEADER=$!

tree_pids() { # the leader and all its descendants, found before killing anything
  local -A parent=()
  local f pid rest stat
  for f in /proc/[0-9]*/stat; do
    { read -r stat <"$f"; } 2>/dev/null || continue
    pid=${f#/proc/}; pid=${pid%/stat}
    rest=${stat##*) }; rest=${rest#* }
    parent[$pid]=${rest%% *}
  done
  local todo=("$1") out=() p k
  while [ ${#todo[@]} -gt 0 ]; do
    p=${todo[0]}; todo=("${todo[@]:1}"); out+=("$p")
    for k in "${!parent[@]}"; do [ "${parent[$k]}" = "$p" ] && todo+=("$k"); done
  done
  echo "${out[@]}"
}
cleanup() {
  local rc=$? pids p
  trap - EXIT INT TERM
  pids=$(tree_pids "$LEADER")
  [ -n "$PREVIEW" ] && pids="$pids $(tree_pids "$PREVIEW")"
  kill -TERM -- "-$LEADER" 2>/dev/null || true
  [ -n "$PREVIEW" ] && kill -TERM -- "-$PREVIEW" 2>/dev/null || true
  for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
  sleep 1
  kill -KILL -- "-$LEADER" 2>/dev/null || true
  for p in $pids; do kill -KILL "$p" 2>/dev/null || true; done
  wait "$LEADER" 2>/dev/null || true
  rm -rf "$DIST"
  if [ "${BENCH_KEEP:-}" = 1 ]; then say "data dir kept: $DATA"; else rm -rf "$DATA"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "wails dev starting (log $OUT/wails-dev.log)"
t0=$SECONDS
until http_ok; do
  if ! kill -0 "$LEADER" 2>/dev/null; then say "wails dev exited; see $OUT/wails-dev.log"; tail -n 30 "$OUT/wails-dev.log"; exit 1; fi
  [ $((SECONDS - t0)) -lt 360 ] || { say "not up after 360 s"; exit 1; }
  sleep 1
done
say "up after $((SECONDS - t0)) s"
BENCH_URL=${BENCH_URL:-http://localhost:$PORT} node bench/calendar/bench.mjs | tee "$OUT/results.txt"
