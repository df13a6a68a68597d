#!/usr/bin/env bash
# pds-test.sh — runs Pauta's Bluesky integration test against a real
# reference PDS (@atproto/pds + a local PLC directory) on 127.0.0.1:2583.
# Installs it on first use (~3.5 min cold, needs npm; skipped when present),
# starts it fresh with a 1,000,000-byte blob limit, runs
# `go test -run PDS ./backend/platform/bluesky/...`, and always stops it.
#   PDS_TOOLS  where install.sh/start.sh/stop.sh live
#              (default: ../shared/tools/local-pds next to the repo)
#   PDS_HOME   where the PDS is installed (default /tmp/pauta-pds)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
PDS_TOOLS=${PDS_TOOLS:-$repo/../shared/tools/local-pds}
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
[ -d "$PDS_HOME/app/node_modules/@atproto/pds" ] || { log "install failed"; exit 1; }
log "install: $(secs "$t")"

trap 'bash "$PDS_TOOLS/stop.sh"; log "PDS stopped"' EXIT
t=$(date +%s)
PDS_BLOB_UPLOAD_LIMIT=1000000 bash "$PDS_TOOLS/start.sh"
log "start: $(secs "$t")"

export PAUTA_PDS_URL=http://127.0.0.1:2583 PDS_BLOB_UPLOAD_LIMIT=1000000
t=$(date +%s)
cd "$repo"
out=$(go test -run PDS -count=1 -v ./backend/platform/bluesky/... 2>&1) && rc=0 || rc=$?
printf '%s\n' "$out"
log "test: $(secs "$t") (exit $rc)"
if [ $rc -eq 0 ] && grep -q -- '--- SKIP' <<<"$out"; then
  log "the PDS test was skipped although a PDS is running"
  exit 1
fi
exit $rc
