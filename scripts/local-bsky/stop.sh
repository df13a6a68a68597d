#!/usr/bin/env bash
# stop.sh — stops the network started by start.sh (SIGTERM: it closes and
# drops its schemas; SIGKILL after 20 s), stops the PostgreSQL cluster and
# deletes $BSKY_HOME/run (cluster, PDS data, temp files).
BSKY_HOME=${BSKY_HOME:-/tmp/pauta-bsky}
BSKY_RUN=$BSKY_HOME/run
if [ -f "$BSKY_RUN/network.pid" ]; then
  pid=$(cat "$BSKY_RUN/network.pid")
  if kill -TERM "$pid" 2>/dev/null; then
    for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$BSKY_RUN/network.pid"
fi
if [ -f "$BSKY_RUN/pg/postmaster.pid" ]; then
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  as_pg=(); [ "$(id -u)" -eq 0 ] && as_pg=(runuser -u postgres --)
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$BSKY_RUN/pg" -m fast -w -t 30 stop >/dev/null 2>&1
fi
rm -rf "$BSKY_RUN"
exit 0
