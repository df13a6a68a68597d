#!/usr/bin/env bash
# e2e/run.sh [playwright args…] — end-to-end tests against the real app.
# Starts `wails dev` (Go app with real bindings + vite) under Xvfb inside a
# private D-Bus session with an unlocked keyring, on a fresh data dir; waits
# for http://localhost:34115 (or the next free port); runs Playwright with
# Debian's Chromium; then
# kills the whole process tree (wails dev, the dev app, vite, Xvfb, D-Bus).
# All spec files share the one app and data dir, one file after another in
# name order. Report: test-results/e2e/ (report.json, junit.xml,
# wails-dev.log, failure screenshots and traces). Last line:
# "e2e: N passed, N failed[, N skipped]".
#   E2E_PORT           wails dev's port (default: the first free from 34115)
#   E2E_START_TIMEOUT  seconds to wait for the port (default 360; the first
#                      dev build takes ~2 min)
#   E2E_SKIP_BINDINGS=1  don't regenerate the Wails bindings (make test does
#                      it in `wails build` just before)
#   E2E_KEEP=1         keep the temp data dir
#   E2E_OUT_NAME       results folder under test-results/ (default e2e; the
#                      WebKitGTK pass, --config playwright.webkit.config.ts,
#                      uses webkit)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export PATH="$(go env GOPATH)/bin:$PATH"
START_TIMEOUT=${E2E_START_TIMEOUT:-360}

say() { printf '[e2e] %s\n' "$*"; }

# Results go to test-results/$E2E_OUT_NAME (default e2e), or to
# test-results/e2e-PID while another run in this tree holds it (runs in
# parallel pick different ports too).
mkdir -p "$ROOT/test-results"
NAME=${E2E_OUT_NAME:-e2e}
OUT=$ROOT/test-results/$NAME
exec 9>"$ROOT/test-results/.$NAME.lock"
if ! flock -n 9; then
  OUT=$ROOT/test-results/$NAME-$$
  say "another e2e run is using test-results/e2e; this one writes to $OUT"
fi
rm -rf "$OUT" && mkdir -p "$OUT"

if ! grep -rqs 'data-testid="calendar"' frontend/src; then
  say "skipped: frontend/src does not implement the calendar of frontend/TESTING.md yet"
  echo "e2e: 0 passed, 0 failed, 1 skipped"
  exit 0
fi

# wails dev's server: 34115 unless a colleague's wails dev has it already.
port_free() {
  node -e "const s = require('net').createServer().once('error', () => process.exit(1))
    .listen($1, 'localhost', () => s.close(() => process.exit(0)))"
}
PORT=${E2E_PORT:-}
if [ -z "$PORT" ]; then
  for p in $(seq 34115 34135); do port_free "$p" && { PORT=$p; break; }; done
  [ -n "$PORT" ] || { say "no free port in 34115-34135"; echo "e2e: 0 passed, 1 failed"; exit 1; }
fi
http_ok() {
  node -e "fetch('http://localhost:$PORT/').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
}
if http_ok; then
  say "something already answers on :$PORT; stop it first"
  echo "e2e: 0 passed, 1 failed"
  exit 1
fi

# go:embed needs a non-empty frontend/dist even in dev mode.
mkdir -p frontend/dist && [ -n "$(ls -A frontend/dist)" ] || touch frontend/dist/.gitkeep

DATA=$(mktemp -d "${TMPDIR:-/tmp}/pauta-e2e.XXXXXX")
DEV_ARGS=(dev -m -nosyncgomod -s -nogorebuild -noreload -nocolour -tags webkit2_41,nodynamic -devserver "localhost:$PORT"
  -viteservertimeout 120 -appargs "--data-dir $DATA")
[ "${E2E_SKIP_BINDINGS:-}" = 1 ] && DEV_ARGS+=(-skipbindings)

# setsid: wails dev and everything it starts get their own process group.
# PAUTA_DATA_DIR too: the bindings step runs the app without arguments.
PAUTA_DATA_DIR=$DATA LANG=C.UTF-8 LC_ALL=C.UTF-8 setsid bash scripts/with-keyring.sh \
  xvfb-run -a -s "-screen 0 1280x900x24" wails "${DEV_ARGS[@]}" \
  >"$OUT/wails-dev.log" 2>&1 </dev/null &
LEADER=$!

tree_pids() { # the leader and all its descendants (from /proc), found before killing anything
  local -A parent=()
  local f pid rest stat
  for f in /proc/[0-9]*/stat; do
    { read -r stat <"$f"; } 2>/dev/null || continue
    pid=${f#/proc/}; pid=${pid%/stat}
    rest=${stat##*) }            # after "pid (comm) ": "S ppid …"
    rest=${rest#* }
    parent[$pid]=${rest%% *}
  done
  local todo=("$1") out=() p k
  while [ ${#todo[@]} -gt 0 ]; do
    p=${todo[0]}; todo=("${todo[@]:1}")
    out+=("$p")
    for k in "${!parent[@]}"; do [ "${parent[$k]}" = "$p" ] && todo+=("$k"); done
  done
  echo "${out[@]}"
}

cleanup() {
  local rc=$? pids p
  trap - EXIT INT TERM
  pids=$(tree_pids "$LEADER")
  kill -TERM -- "-$LEADER" 2>/dev/null || true
  for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
  for _ in $(seq 1 30); do
    alive=0
    for p in $pids; do [ -e "/proc/$p" ] && ! grep -q '^State:.*Z' "/proc/$p/status" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.2
  done
  kill -KILL -- "-$LEADER" 2>/dev/null || true
  for p in $pids; do kill -KILL "$p" 2>/dev/null || true; done
  wait "$LEADER" 2>/dev/null || true
  if [ "${E2E_KEEP:-}" = 1 ]; then say "data dir kept: $DATA"; else rm -rf "$DATA"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "wails dev starting on :$PORT (data dir $DATA, log $OUT/wails-dev.log)"
t0=$SECONDS
# Another run may take the port between the check above and wails dev's
# listen: then the page answering is not ours. Wails dev says so in its log.
port_taken() { grep -qs 'address already in use' "$OUT/wails-dev.log"; }
until http_ok && ! port_taken; do
  if port_taken; then
    say ":$PORT was taken by another process while wails dev started; run again (or set E2E_PORT)"
    echo "e2e: 0 passed, 1 failed"
    exit 1
  fi
  if ! kill -0 "$LEADER" 2>/dev/null; then
    say "wails dev exited before serving :$PORT; last lines of its log:"
    tail -n 40 "$OUT/wails-dev.log" | sed 's/^/    /'
    echo "e2e: 0 passed, 1 failed"
    exit 1
  fi
  if [ $((SECONDS - t0)) -ge "$START_TIMEOUT" ]; then
    say "http://localhost:$PORT not up after ${START_TIMEOUT}s; last lines of the log:"
    tail -n 40 "$OUT/wails-dev.log" | sed 's/^/    /'
    echo "e2e: 0 passed, 1 failed"
    exit 1
  fi
  sleep 1
done
say "http://localhost:$PORT up after $((SECONDS - t0))s"

set +e
(cd e2e && CI=${CI:-} E2E_RESULTS="$OUT" E2E_BASE_URL="http://localhost:$PORT" npx --no-install playwright test "$@")
rc=$?
set -e

if [ -f "$OUT/report.json" ]; then
  node -e '
    const s = require(process.argv[1]).stats;
    const failed = s.unexpected + s.flaky;
    console.log(`e2e: ${s.expected} passed, ${failed} failed` + (s.skipped ? `, ${s.skipped} skipped` : ""));
  ' "$OUT/report.json"
else
  echo "e2e: 0 passed, 1 failed"
  [ $rc -ne 0 ] || rc=1
fi
exit $rc
