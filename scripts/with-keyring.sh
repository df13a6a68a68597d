#!/usr/bin/env bash
# with-keyring.sh CMD ARGS… — runs CMD inside a private D-Bus session with an
# unlocked gnome-keyring (a real Secret Service), so go-keyring works headless
# and nothing leaks onto the user's own session bus or keyring.
# Needs the Debian packages dbus-daemon (dbus-run-session) and gnome-keyring.
# HOME stays as it is (the Go and npm caches hang off it); only the keyring's
# files move, into a temp dir that is removed afterwards.
set -uo pipefail
kr=$(mktemp -d "${TMPDIR:-/tmp}/pauta-keyring.XXXXXX")
trap 'rm -rf "$kr"' EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
dbus-run-session -- bash -c '
  export XDG_DATA_HOME="$0/data" XDG_RUNTIME_DIR="$0/run"
  mkdir -p "$XDG_DATA_HOME" && mkdir -p -m 700 "$XDG_RUNTIME_DIR"
  printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"' "$kr" "$@"
exit $?
