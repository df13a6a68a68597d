#!/usr/bin/env bash
# pds-test.sh — runs Pauta's Bluesky integration tests against a real
# reference PDS (@atproto/pds + a local PLC directory) on 127.0.0.1:2583.
# Installs it on first use (~3.5 min cold, needs npm; skipped when present),
# starts it fresh with a 1,000,000-byte blob limit, runs
# `go test -run PDS ./backend/platform/bluesky/... ./app/...` (the client on
# its own, then the whole app: connect, outbox, media, first comment), and
# always stops it. With dbus-run-session and gnome-keyring the app test keeps
# the Bluesky session in a real Secret Service (scripts/with-keyring.sh).
# Fails if a PDS test is skipped or missing. `make test` runs it.
#   PDS_TOOLS  where install.sh/start.sh/stop.sh live
#              (default: scripts/local-pds, vendored from ../shared/tools/local-pds)
#   PDS_HOME   where the PDS is installed (default /tmp/pauta-pds)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
PDS_TOOLS=${PDS_TOOLS:-$repo/scripts/local-pds}
export PDS_HOME=${PDS_HOME:-/tmp/pauta-pds}
log() { printf '[pds-test] %s\n' "$*"; }
secs() { echo $(( $(date +%s) - $1 ))s; }

[ -x "$PDS_TOOLS/install.sh" ] || [ -f "$PDS_TOOLS/install.sh" ] || { log "no PDS tools in $PDS_TOOLS (set PDS_TOOLS)"; exit 2; }
if curl -fsS http://127.0.0.1:2583/xrpc/_health >/dev/null 2>&1; then
  log "something already answers on 127.0.0.1:2583; stop it first ($PDS_TOOLS/stop.sh)"
  exit 2
fi

t=$(date +%s)
bash "$PDS_TOOLS/install.sh" 2>&1 | grep -v 'Unknown \(user\|env\) config "nodedir"' || true
[ -d "$PDS_HOME/app/node_modules/@atproto/pds" ] && [ -d "$PDS_HOME/plc/node_modules/@did-plc/server" ] || { log "install failed"; exit 1; }
log "install: $(secs "$t")"

trap 'bash "$PDS_TOOLS/stop.sh"; log "PDS stopped"' EXIT
t=$(date +%s)
PDS_BLOB_UPLOAD_LIMIT=1000000 bash "$PDS_TOOLS/start.sh"
log "start: $(secs "$t")"

export PAUTA_PDS_URL=http://127.0.0.1:2583 PDS_BLOB_UPLOAD_LIMIT=1000000
t=$(date +%s)
cd "$repo"
wrap=()
if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  wrap=(bash scripts/with-keyring.sh) # the app test keeps the session in a real Secret Service
  export PAUTA_PDS_KEYRING=1
fi
out=$("${wrap[@]}" go test -run PDS -count=1 -v ./backend/platform/bluesky/... ./app/... 2>&1) && rc=0 || rc=$?
printf '%s\n' "$out" | grep -v 'Failed to set fd limit'
log "test: $(secs "$t") (exit $rc)"
if [ $rc -eq 0 ] && grep -q -- '--- SKIP' <<<"$out"; then
  log "a PDS test was skipped although a PDS is running"
  exit 1
fi
for name in TestPDSPublish TestPDSPublishThroughPauta; do
  if [ $rc -eq 0 ] && ! grep -qE -- "^--- PASS: $name " <<<"$out"; then
    log "$name did not run"
    exit 1
  fi
done
exit $rc
