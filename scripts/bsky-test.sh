#!/usr/bin/env bash
# bsky-test.sh — runs Pauta's Bluesky integration tests against a real
# Bluesky network on this machine: PLC directory + PDS + the bsky AppView
# (@atproto/dev-env, scripts/local-bsky) on a private PostgreSQL cluster.
# Installs it on first use (~4–5 min, needs npm; cached in $BSKY_HOME,
# reinstalled only when scripts/local-bsky/package-lock.json changes),
# starts it fresh (PDS blob limit 1,000,000 bytes), runs
#   go test -run 'PDS|BskyNetwork' ./backend/platform/bluesky/... ./app/...
# (publishing: the client, then the whole app — connect, outbox, media,
# first comment; the inbox and report fetchers: mentions, replies, quotes,
# likes, reposts, follows, threads, figures, followers, the read marker),
# and always stops it (cluster, schemas and temp files removed).
# Fails if a test is skipped or missing. `make test` runs it.
#   BSKY_HOME  install dir (default /tmp/pauta-bsky)
#   ports: PostgreSQL 2590, PLC 2591, PDS 2592, AppView 2593, ozone 2594,
#          control 2595 (see scripts/local-bsky/start.sh to change them)
# The tests read PAUTA_PDS_URL (the PDS), PAUTA_BSKY_CONTROL (the control
# channel), PDS_BLOB_UPLOAD_LIMIT and PAUTA_PDS_KEYRING.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
tools=$repo/scripts/local-bsky
export BSKY_HOME=${BSKY_HOME:-/tmp/pauta-bsky}
log() { printf '[bsky-test] %s\n' "$*"; }
secs() { echo $(( $(date +%s) - $1 ))s; }

t=$(date +%s)
bash "$tools/install.sh" 2>&1 | grep -v -e 'Unknown \(user\|env\) config "nodedir"' -e 'install-scripts' || true
[ -f "$BSKY_HOME/app/node_modules/@atproto/dev-env/package.json" ] || { log "install failed"; exit 1; }
log "install: $(secs "$t")"

bash "$tools/stop.sh" # what a killed run left behind (by its recorded pids)
trap 'bash "$tools/stop.sh"; log "network stopped"' EXIT
t=$(date +%s)
PDS_BLOB_UPLOAD_LIMIT=1000000 bash "$tools/start.sh" >/dev/null
# shellcheck source=/dev/null
. "$BSKY_HOME/run/env.sh"
log "start: $(secs "$t") — PDS $BSKY_PDS_URL, AppView $BSKY_APPVIEW_URL, PLC $BSKY_PLC_URL, control $BSKY_CONTROL_URL"

export PAUTA_PDS_URL=${BSKY_PDS_URL/localhost/127.0.0.1} PAUTA_BSKY_CONTROL=$BSKY_CONTROL_URL PDS_BLOB_UPLOAD_LIMIT=1000000
t=$(date +%s)
cd "$repo"
wrap=()
if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  wrap=(bash scripts/with-keyring.sh) # the app test keeps the session in a real Secret Service
  export PAUTA_PDS_KEYRING=1
fi
out=$("${wrap[@]}" go test -run 'PDS|BskyNetwork' -count=1 -v ./backend/platform/bluesky/... ./app/... 2>&1) && rc=0 || rc=$?
printf '%s\n' "$out" | grep -v 'Failed to set fd limit'
log "test: $(secs "$t") (exit $rc)"
if [ $rc -eq 0 ] && grep -q -- '--- SKIP' <<<"$out"; then
  log "a Bluesky test was skipped although the network is running"
  exit 1
fi
for name in TestPDSPublish TestPDSPublishThroughPauta TestBskyNetworkInbox TestBskyNetworkReplyOnce; do
  if [ $rc -eq 0 ] && ! grep -qE -- "^--- PASS: $name " <<<"$out"; then
    log "$name did not run"
    exit 1
  fi
done
exit $rc
