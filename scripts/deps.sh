#!/usr/bin/env bash
# deps.sh [apt|wails|npm|all] — installs what building, running and testing
# Pauta needs, and skips whatever is already there (a second run takes ~1 s).
#   apt    Debian packages: GTK 3 + WebKitGTK 4.1 headers, Xvfb, D-Bus,
#          gnome-keyring, ImageMagick, xdotool, Chromium, fonts, PostgreSQL,
#          desktop-file-utils, nsis, poppler-utils, webkit2gtk-driver (the
#          WebKitGTK e2e pass drives Pauta's own engine)
#   wails  the Wails CLI, pinned (go install …@latest resolves to a Wails
#          that does not compile with Go 1.26)
#   npm    `npm ci` in frontend/ and e2e/ when node_modules is missing or
#          older than package-lock.json
# Runs as root without sudo (CI) or as a user with sudo. Never interactive.
set -euo pipefail
cd "$(dirname "$0")/.."

WAILS_VERSION=v2.16.0
APT_PACKAGES=(
  build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev libx11-dev
  xvfb xauth dbus-x11 dbus-daemon gnome-keyring libsecret-tools
  imagemagick x11-utils xdotool
  libxext-dev # MIT-SHM for bench/startup/paintwait.c (scripts/frame-close.sh, the startup bench)
  desktop-file-utils # desktop-file-validate: the .deb's desktop entry (scripts/test.sh)
  nsis # makensis: the Windows installer, cross-built (scripts/windows.sh)
  chromium fonts-dejavu-core fonts-noto-color-emoji
  poppler-utils # pdftotext, pdfinfo, pdftoppm: the report and approval-package PDF tests
  python3 # node-gyp: the local Bluesky network's better-sqlite3 compiles from source (scripts/local-bsky)
  postgresql # the local Bluesky AppView's database: a private cluster per test run (scripts/local-bsky)
  webkit2gtk-driver # WebKitWebDriver, same version as libwebkit2gtk-4.1-0: e2e/webkit/
)

log() { printf '[deps] %s\n' "$*"; }

deps_apt() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" = "install ok installed" ] || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "apt: all ${#APT_PACKAGES[@]} packages present"
    return
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { log "apt: need root or sudo to install: ${missing[*]}"; exit 1; }
    sudo=(sudo -n)
  fi
  log "apt: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q </dev/null
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" </dev/null
}

deps_wails() {
  local bin
  bin="$(go env GOPATH)/bin/wails"
  local have=""
  [ -x "$bin" ] && have=$("$bin" version 2>/dev/null || true)
  if [[ $have == *"$WAILS_VERSION"* ]]; then
    log "wails: $WAILS_VERSION present"
    return
  fi
  log "wails: go install github.com/wailsapp/wails/v2/cmd/wails@$WAILS_VERSION"
  go install "github.com/wailsapp/wails/v2/cmd/wails@$WAILS_VERSION"
}

npm_ci() { # npm_ci DIR
  local dir=$1
  [ -f "$dir/package-lock.json" ] || { log "npm: $dir has no package-lock.json"; exit 1; }
  if [ -f "$dir/node_modules/.package-lock.json" ] &&
     [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ] &&
     [ "$dir/node_modules/.package-lock.json" -nt "$dir/package.json" ]; then
    log "npm: $dir/node_modules up to date"
    return
  fi
  log "npm: npm ci in $dir"
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error </dev/null)
}

deps_npm() {
  npm_ci frontend
  npm_ci e2e
}

case "${1:-all}" in
  apt) deps_apt ;;
  wails) deps_wails ;;
  npm) deps_npm ;;
  all) deps_apt; deps_wails; deps_npm ;;
  *) echo "usage: $0 [apt|wails|npm|all]" >&2; exit 2 ;;
esac
