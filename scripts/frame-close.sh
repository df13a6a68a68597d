#!/usr/bin/env bash
# frame-close.sh [--bin PATH] — the first frame kept current by closing the
# window (#18, app/firstframe_close.go), in the real window: the built app
# on the demo workspace under Xvfb, in a private D-Bus session.
#   1. A start keeps its first frame (first-frame.html). The test takes it
#      away while the window is open, as a change to the month would make it
#      stale; then closes the window as its close button does
#      (WM_DELETE_WINDOW, bench/startup/paintwait.c -q). The app must keep
#      the frame for the data as it is now, and exit (status 0) in time.
#   2. The next start must show that frame and find the app's own drawing
#      the same (a start that did not would keep a new file, one that found
#      it different would remove it), and close without keeping another
#      (the file is the same one: same inode).
# Last line: "frame-close: N passed, N failed". Output in test-results/frame-close/.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/build/bin/pauta
INNER=0
while [ $# -gt 0 ]; do
  case $1 in
    --bin) BIN=$2; shift 2 ;;
    --inner) INNER=1; DATA=$2; shift 2 ;;
    *) echo "usage: $0 [--bin PATH]" >&2; exit 2 ;;
  esac
done
OUT=$ROOT/test-results/frame-close
PW=$OUT/paintwait
say() { printf '[frame-close] %s\n' "$*"; }

if [ $INNER = 1 ]; then
  FRAME=$DATA/first-frame.html
  fail() { say "FAIL: $*"; [ -s "$OUT/app.log" ] && tail -n 20 "$OUT/app.log" | sed 's/^/    /'; exit 1; }
  run() { "$PW" -c 2500 -t 60 -s "$1" -q 10 -l "$OUT/app.log" -- "$BIN" --data-dir "$DATA"; }
  closed() { sed -n 's/^close_ms=\([0-9]*\) status=\([0-9]*\)$/\1 \2/p' "$1"; }

  # 1. The start keeps a frame; it goes stale; closing keeps a current one.
  run 4 >"$OUT/run1.txt" &
  pw=$!
  for _ in $(seq 1 400); do [ -s "$FRAME" ] && break; sleep 0.05; done
  [ -s "$FRAME" ] || { wait $pw || true; fail "the start kept no first frame"; }
  rm -f "$FRAME"
  wait $pw || fail "run 1: $(tail -n 2 "$OUT/run1.txt")"
  read -r ms status < <(closed "$OUT/run1.txt") || fail "run 1 did not close: $(cat "$OUT/run1.txt")"
  [ "$status" = 0 ] || fail "run 1 exited with status $status after its window was closed"
  [ -s "$FRAME" ] || fail "closing did not keep the first frame"
  [ "$(head -n 1 "$FRAME")" = "pauta-frame 1" ] && grep -q 'data-testid="calendar"' "$FRAME" ||
    fail "closing kept something else: $(head -c 200 "$FRAME")"
  say "closing kept the frame for the data as it is now (closed in ${ms} ms)"
  inode=$(stat -c %i "$FRAME")

  # 2. The next start shows it, draws the same, and closes without keeping another.
  run 2 >"$OUT/run2.txt" || fail "run 2: $(tail -n 2 "$OUT/run2.txt")"
  read -r ms status < <(closed "$OUT/run2.txt") || fail "run 2 did not close: $(cat "$OUT/run2.txt")"
  [ "$status" = 0 ] || fail "run 2 exited with status $status"
  [ -s "$FRAME" ] || fail "the next start found its frame different from the app's drawing, and forgot it"
  [ "$(stat -c %i "$FRAME")" = "$inode" ] || fail "the next start kept another frame: the one kept on closing was not used"
  say "the next start used it (painted at $(sed -n 's/.*paint_ms=\([0-9]*\).*/\1/p' "$OUT/run2.txt") ms) and closed in ${ms} ms"
  exit 0
fi

[ -x "$BIN" ] || { say "FAIL: no binary at $BIN (make build)"; echo "frame-close: 0 passed, 1 failed"; exit 1; }
rm -rf "$OUT" && mkdir -p "$OUT"
cc -O2 -Wall -o "$PW" "$ROOT/bench/startup/paintwait.c" -lX11 -lXext
DATA=$(mktemp -d "${TMPDIR:-/tmp}/pauta-frame-close.XXXXXX")
trap 'rm -rf "$DATA"' EXIT
"$BIN" demo --data-dir "$DATA" >"$OUT/demo.log"
set +e
setsid bash "$ROOT/scripts/with-keyring.sh" xvfb-run -a -s "-screen 0 1280x900x24" \
  bash "$0" --bin "$BIN" --inner "$DATA" </dev/null 2>"$OUT/session.log" &
leader=$!
wait $leader
rc=$?
set -e
kill -KILL -- "-$leader" 2>/dev/null || true
if [ $rc -eq 0 ]; then echo "frame-close: 1 passed, 0 failed"; else echo "frame-close: 0 passed, 1 failed"; fi
exit $rc
