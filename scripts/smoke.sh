#!/usr/bin/env bash
# smoke.sh [--bin PATH] [--data-dir DIR] [--shot PNG] [--timeout S] [--quiet] [--wm-class CLASS] [--size WxH] [--lang LL]
# Window smoke test: runs the built app with the demo workspace under Xvfb in a
# private D-Bus session, waits for a visible window named "Pauta", waits until
# the page has painted (a screenshot of the window with at least $MIN_COLOURS
# (1000) distinct colours: the empty web view is one flat colour, the
# "Loading…" screen ~170, the calendar grid ~1400, with posts ~4000; 64 while
# frontend/src has no calendar yet), saves the
# screenshot, checks the app is still running, then stops everything.
# Fails when the window never appears, never paints, or the app exits early.
# Defaults: build/bin/pauta, a temp data dir (removed), test-results/smoke.png.
# --quiet (make run): no progress and no "smoke: N passed" line, only failures.
# --wm-class CLASS: the window's WM_CLASS class must be CLASS (a desktop
# entry's StartupWMClass, so the dock groups the window under its icon).
# --size WxH: a WxH screen and window (default: 1280x900 screen, the window's
# own size); --lang es|it|en: the system language the app starts in (LANG).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/build/bin/pauta
DATA=""
SHOT=$ROOT/test-results/smoke.png
TIMEOUT=60
# Until the frontend has its calendar (TESTING.md), any painted page will do.
if grep -rqs 'data-testid="calendar"' "$ROOT/frontend/src"; then MIN_COLOURS=${MIN_COLOURS:-1000}; else MIN_COLOURS=${MIN_COLOURS:-64}; fi
INNER=0 QUIET=0 WMCLASS="" SIZE="" LANG_UI=""
while [ $# -gt 0 ]; do
  case $1 in
    --bin) BIN=$2; shift 2 ;;
    --data-dir) DATA=$2; shift 2 ;;
    --shot) SHOT=$2; shift 2 ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    --inner) INNER=1; shift ;;
    --quiet) QUIET=1; shift ;;
    --wm-class) WMCLASS=$2; shift 2 ;;
    --size) SIZE=$2; shift 2 ;;
    --lang) LANG_UI=$2; shift 2 ;;
    *) echo "usage: $0 [--bin PATH] [--data-dir DIR] [--shot PNG] [--timeout S] [--quiet]" >&2; exit 2 ;;
  esac
done
say() { [ $QUIET = 1 ] && [[ $1 != FAIL* ]] || printf '[smoke] %s\n' "$*"; }
tally() { [ $QUIET = 1 ] || echo "smoke: $1"; }

if [ $INNER = 1 ]; then
  # Inside Xvfb + D-Bus: start the app, find its window, wait for paint.
  LOG=${SHOT%.png}.log
  t0=$EPOCHREALTIME
  elapsed() { awk -v a="$EPOCHREALTIME" -v b="$t0" 'BEGIN{printf "%.2f", a-b}'; }
  if [ -n "$LANG_UI" ]; then
    case $LANG_UI in es) loc=es_ES.UTF-8 ;; it) loc=it_IT.UTF-8 ;; *) loc=en_GB.UTF-8 ;; esac
    LC_ALL=$loc LANG=$loc LC_MESSAGES=$loc "$BIN" --demo --data-dir "$DATA" >"$LOG" 2>&1 </dev/null &
  else
    "$BIN" --demo --data-dir "$DATA" >"$LOG" 2>&1 </dev/null &
  fi
  APP=$!
  alive() { kill -0 "$APP" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$APP/status" 2>/dev/null; }
  fail() {
    say "FAIL: $*"
    [ -s "$LOG" ] && { say "FAIL: app output:"; tail -n 30 "$LOG" | sed 's/^/    /'; }
    exit 1
  }
  WID=""
  while [ -z "$WID" ]; do
    alive || { wait "$APP"; fail "app exited with status $? before showing a window"; }
    WID=$(xdotool search --onlyvisible --name '^Pauta$' 2>/dev/null | sed -n 1p || true)
    [ -n "$WID" ] && break
    awk -v e="$(elapsed)" -v t="$TIMEOUT" 'BEGIN{exit !(e > t)}' && fail "no visible window named Pauta after ${TIMEOUT}s"
    sleep 0.2
  done
  say "window $WID visible after $(elapsed)s"
  if [ -n "$SIZE" ]; then
    xdotool windowmove "$WID" 0 0 windowsize "$WID" "${SIZE%x*}" "${SIZE#*x}" 2>/dev/null || true
  fi
  if [ -n "$WMCLASS" ]; then
    cls=$(xprop -id "$WID" WM_CLASS 2>/dev/null || true)
    [[ $cls == *", \"$WMCLASS\"" ]] || fail "WM_CLASS is '${cls#*= }', want the class \"$WMCLASS\""
    say "WM_CLASS ${cls#*= }"
  fi
  colours=0
  tmp=${SHOT%.png}.tmp.png
  while :; do
    alive || { wait "$APP"; fail "app exited with status $? before painting"; }
    if /usr/bin/import -window "$WID" "$tmp" 2>/dev/null; then
      colours=$(/usr/bin/identify -format '%k' "$tmp" 2>/dev/null || echo 0)
      [ "$colours" -ge "$MIN_COLOURS" ] && break
    fi
    awk -v e="$(elapsed)" -v t="$TIMEOUT" 'BEGIN{exit !(e > t)}' &&
      { mv -f "$tmp" "$SHOT" 2>/dev/null || true; fail "window not painted after ${TIMEOUT}s ($colours colours; see $SHOT)"; }
    sleep 0.1
  done
  say "painted after $(elapsed)s ($colours colours)"
  sleep 2 # let it settle, then the screenshot that is kept
  alive || { wait "$APP"; fail "app exited with status $? after painting"; }
  /usr/bin/import -window "$WID" "$SHOT"
  rm -f "$tmp"
  [ -f "$DATA/pauta.db" ] || fail "no workspace database in $DATA"
  say "screenshot $SHOT ($(/usr/bin/identify -format '%wx%h, %k colours' "$SHOT"))"
  kill -TERM "$APP" 2>/dev/null || true
  for _ in $(seq 1 25); do alive || break; sleep 0.2; done
  alive && kill -KILL "$APP" 2>/dev/null || true
  exit 0
fi

[ -x "$BIN" ] || { say "FAIL: no binary at $BIN (make build)"; tally "0 passed, 1 failed"; exit 1; }
mkdir -p "$(dirname "$SHOT")"
KEEP_DATA=1
if [ -z "$DATA" ]; then DATA=$(mktemp -d "${TMPDIR:-/tmp}/pauta-smoke.XXXXXX"); KEEP_DATA=0; fi
mkdir -p "$DATA"

# The whole run in its own process group (setsid) so nothing outlives it.
# Quiet: its output too goes to the session log (D-Bus services chat there),
# shown only on failure.
: >"${SHOT%.png}.session.log"
if [ $QUIET = 1 ]; then exec 3>>"${SHOT%.png}.session.log"; else exec 3>&1; fi
set +e
setsid bash "$ROOT/scripts/with-keyring.sh" \
  xvfb-run -a -s "-screen 0 ${SIZE:-1280x900}x24" \
  bash "$0" --inner $([ $QUIET = 1 ] && echo --quiet) ${WMCLASS:+--wm-class "$WMCLASS"} ${SIZE:+--size "$SIZE"} ${LANG_UI:+--lang "$LANG_UI"} --bin "$BIN" --data-dir "$DATA" --shot "$SHOT" --timeout "$TIMEOUT" \
  </dev/null 2>>"${SHOT%.png}.session.log" >&3 &
LEADER=$!
trap 'kill -KILL -- "-$LEADER" 2>/dev/null; exit 130' INT TERM
wait "$LEADER"
rc=$?
trap - INT TERM
set -e
kill -KILL -- "-$LEADER" 2>/dev/null || true
[ $KEEP_DATA = 1 ] || rm -rf "$DATA"
if [ $rc -eq 0 ]; then
  tally "1 passed, 0 failed"
else
  say "FAIL: stderr of the session (${SHOT%.png}.session.log):"
  tail -n 20 "${SHOT%.png}.session.log" | sed 's/^/    /'
  tally "0 passed, 1 failed"
fi
exit $rc
