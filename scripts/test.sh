#!/usr/bin/env bash
# test.sh — every test and check, in order; `make test` runs it after `make deps`.
#   go vet · go test -race (with a real Secret Service) · go fuzz ·
#   Bluesky integration against a real local network · svelte-check ·
#   vitest · vite build · wails build · window smoke test (and the real window
#   in es and it at 1280×800 and 1024×640) · the first frame kept on closing
#   the real window · Linux package (build, apt-get
#   install, desktop-file-validate, --version, smoke test of the installed
#   binary, apt-get remove) · Windows app and NSIS installer cross-built and
#   their version resources checked · end-to-end (Chromium) · end-to-end in
#   WebKitGTK (every screen and dialog, 2 sizes, 3 languages, axe; screenshots
#   in test-results/webkit/screens/)
# Runs every step even after a failure (the GUI steps are skipped when the
# app does not build), prints a summary, and ends with the line
#   Total: N passed, N failed[, N skipped]
# counting Go tests (with subtests), vitest tests, e2e tests, the smoke test
# and one per check/build step. Exit status 1 when anything failed.
# Logs: test-results/ (gitignored).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export PATH="$(go env GOPATH)/bin:$PATH"
export DEBIAN_FRONTEND=noninteractive
R=$ROOT/test-results
mkdir -p "$R"
VERSION=${VERSION:-$(go run ./build/version 2>/dev/null || echo 0.0.0)}

NAMES=() RESULTS=() TIMES=() COUNTS=()
TOTAL_P=0 TOTAL_F=0 TOTAL_S=0
P=0 F=0 S=0 # set by each step

strip_ansi() { sed -u -E 's/\x1b\[[0-9;]*[A-Za-z]//g'; }

# step NAME TIMEOUT_S FUNC — runs FUNC, which sets P F S (or leaves them 0 to
# count the step itself as one passed or failed check).
step() {
  local name=$1 limit=$2 fn=$3 t0=$SECONDS rc
  printf '\n━━━ %s\n' "$name"
  P=0 F=0 S=0
  "$fn" "$limit"
  rc=$?
  if [ $rc -eq 0 ] && [ "$F" -gt 0 ]; then rc=1; fi
  if [ "$P$F$S" = 000 ]; then [ $rc -eq 0 ] && P=1 || F=1; fi
  if [ $rc -ne 0 ] && [ "$F" -eq 0 ]; then F=1; fi
  NAMES+=("$name")
  TIMES+=("$((SECONDS - t0))")
  if [ $rc -eq 0 ]; then RESULTS+=(ok); elif [ $rc -eq 124 ]; then RESULTS+=("FAILED (timed out after ${limit}s)"); else RESULTS+=(FAILED); fi
  COUNTS+=("$P passed, $F failed$([ "$S" -gt 0 ] && echo ", $S skipped")")
  TOTAL_P=$((TOTAL_P + P)) TOTAL_F=$((TOTAL_F + F)) TOTAL_S=$((TOTAL_S + S))
  printf -- '━━━ %s: %s in %ss\n' "$name" "${RESULTS[-1]}" "${TIMES[-1]}"
  return $rc
}
skip() { # skip NAME WHY
  printf '\n━━━ %s: skipped (%s)\n' "$1" "$2"
  NAMES+=("$1") RESULTS+=("skipped: $2") TIMES+=(0) COUNTS+=("1 skipped")
  TOTAL_S=$((TOTAL_S + 1))
}

run_limited() { local limit=$1; shift; timeout -k 15 "$limit" "$@"; }

# go:embed all:frontend/dist needs the folder, non-empty, before any Go build.
mkdir -p frontend/dist
[ -n "$(ls -A frontend/dist)" ] || touch frontend/dist/.gitkeep

go_vet() { run_limited "$1" go vet ./...; }

go_test() {
  local log=$R/go-test.log rc
  # PAUTA_REQUIRE_KEYRING: the real Secret Service test must run, not skip.
  PAUTA_REQUIRE_KEYRING=1 run_limited "$1" bash scripts/with-keyring.sh go test -race -count=1 -v ./... 2>&1 |
    tee "$log" | grep --line-buffered -vE '^\s*(=== (RUN|PAUSE|CONT|NAME)|--- (PASS|SKIP))'
  rc=${PIPESTATUS[0]}
  P=$(grep -cE '^\s*--- PASS:' "$log")
  F=$(( $(grep -cE '^\s*--- FAIL:' "$log") + $(grep -cE '^FAIL\s+\S+\s+\[(build|setup) failed\]' "$log") ))
  S=$(grep -cE '^\s*--- SKIP:' "$log")
  echo "go test: $P passed, $F failed, $S skipped (-v log: $log)"
  return "$rc"
}

# A short coverage-guided fuzz of image decoding and presets (bombs, truncated
# and lying files must give an error, never a panic or a runaway allocation).
go_fuzz() {
  run_limited "$1" go test -run '^$' -fuzz '^FuzzDecodeAndPresets$' -fuzztime 20s ./backend/media/ &&
    run_limited "$1" go test -run '^$' -fuzz '^FuzzCropRect$' -fuzztime 10s ./backend/media/
}

# A real Bluesky network (scripts/local-bsky: PLC + PDS + the bsky AppView
# from @atproto/dev-env, on a private PostgreSQL cluster): installed on first
# use (~4–5 min, cached in /tmp/pauta-bsky), started fresh on ports
# 2590–2595, the Bluesky tests run against it (publishing through the client
# and the whole app; the inbox and report fetchers against what a second
# account does) and must not skip; stopped and wiped afterwards.
bsky_test() {
  local log=$R/bsky-test.log rc
  run_limited "$1" bash scripts/bsky-test.sh 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  P=$(grep -cE '^\s*--- PASS:' "$log")
  F=$(grep -cE '^\s*--- FAIL:' "$log")
  S=$(grep -cE '^\s*--- SKIP:' "$log")
  return "$rc"
}

svelte_check() { (cd frontend && run_limited "$1" npm run --silent check); }

vitest() {
  local log=$R/vitest.log rc
  (cd frontend && CI=true run_limited "$1" npm test --silent -- --passWithNoTests) 2>&1 | strip_ansi | tee "$log"
  rc=${PIPESTATUS[0]}
  local line
  line=$(grep -E '^\s*Tests\s+' "$log" | tail -n 1)
  P=$(echo "$line" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' || echo 0)
  F=$(echo "$line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || echo 0)
  S=$(echo "$line" | grep -oE '[0-9]+ (skipped|todo)' | awk '{s += $1} END {print s + 0}')
  return "$rc"
}

vite_build() { (cd frontend && run_limited "$1" npm run --silent build); }

wails_build() {
  run_limited "$1" bash scripts/build.sh "$VERSION" "$R/wails-build.log"
}

smoke() {
  run_limited "$1" bash scripts/smoke.sh --shot "$R/smoke.png" || return 1
  # The real window in Spanish and Italian at both sizes (kept as artifacts).
  local lang size
  for lang in es it; do
    for size in 1280x800 1024x640; do
      run_limited "$1" bash scripts/smoke.sh --lang "$lang" --size "$size" --shot "$R/window/$lang-$size.png" || return 1
    done
  done
}

# The first frame kept current by closing the window (#18), in the real window.
frame_close() { run_limited "$1" bash scripts/frame-close.sh; }

# The .deb as a user gets it: built (build/package, with its own tests),
# installed with apt-get (root, or sudo -n as deps.sh), its desktop entry
# validated, the installed /usr/bin/pauta started (--version, then the window
# smoke test), then removed, and nothing of it may be left. A machine that
# cannot install it fails here.
linux_package() {
  local limit=$1 sudo=() deb rc=0 f
  [ "$(id -u)" -eq 0 ] || sudo=(sudo -n)
  pkg_fail() { echo "package: FAIL: $*"; rc=1; }
  pkg_installed() { [ "$(dpkg-query -W -f='${Status}' pauta 2>/dev/null)" = "install ok installed" ]; }
  if pkg_installed; then
    echo "package: FAIL: pauta $(dpkg-query -W -f='${Version}' pauta) is already installed here; this step installs and removes it (apt-get remove pauta first)"
    return 1
  fi
  (cd build/package && run_limited "$limit" go test -count=1 ./...) || return 1
  rm -f build/bin/pauta_*_amd64.deb build/bin/pauta_*_amd64.tar.gz
  (cd build/package && run_limited "$limit" go run . linux -version "$VERSION") || return 1
  deb=build/bin/pauta_${VERSION}_amd64.deb
  [ -f "$deb" ] && [ -f "build/bin/pauta_${VERSION}_amd64.tar.gz" ] || { echo "package: FAIL: no $deb or .tar.gz"; return 1; }
  ls -l build/bin/pauta_*
  run_limited "$limit" "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o Dpkg::Use-Pty=0 --no-install-recommends "./$deb" </dev/null ||
    { echo "package: FAIL: apt-get install ./$deb"; return 1; }
  pkg_installed && [ "$(dpkg-query -W -f='${Version}' pauta)" = "$VERSION" ] || pkg_fail "dpkg does not list pauta $VERSION as installed"
  desktop-file-validate /usr/share/applications/pauta.desktop || pkg_fail "desktop-file-validate"
  local wmclass
  wmclass=$(sed -n 's/^StartupWMClass=//p' /usr/share/applications/pauta.desktop)
  [ -n "$wmclass" ] || pkg_fail "the desktop entry has no StartupWMClass"
  for f in 16 24 32 48 64 128 256 512; do
    [ "$(identify -format '%wx%h' "/usr/share/icons/hicolor/${f}x$f/apps/pauta.png" 2>/dev/null)" = "${f}x$f" ] || pkg_fail "no ${f}x$f icon"
  done
  [ "$(/usr/bin/pauta --version)" = "pauta $VERSION" ] || pkg_fail "/usr/bin/pauta --version: $(/usr/bin/pauta --version 2>&1)"
  # Started without a desktop: one line in the system's language, exit 1, nothing created.
  local nd
  nd=$(mktemp -d)
  if env -u DISPLAY -u WAYLAND_DISPLAY -u PAUTA_DATA_DIR LANG=it_IT.UTF-8 XDG_CONFIG_HOME="$nd/config" /usr/bin/pauta >"$nd/out" 2>&1; then
    pkg_fail "/usr/bin/pauta without a display exited 0"
  fi
  [ "$(wc -l <"$nd/out")" = 1 ] && grep -q 'sessione desktop' "$nd/out" || pkg_fail "without a display it said: $(cat "$nd/out")"
  [ ! -e "$nd/config" ] || pkg_fail "without a display it created $(find "$nd/config" | sed -n 1,3p)"
  rm -rf "$nd"
  # The window's WM_CLASS must be the entry's StartupWMClass (xprop, in smoke.sh).
  run_limited 120 bash scripts/smoke.sh --bin /usr/bin/pauta --wm-class "$wmclass" --shot "$R/smoke-installed.png" ||
    pkg_fail "window smoke test of /usr/bin/pauta"
  run_limited "$limit" "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get remove -y -q -o Dpkg::Use-Pty=0 pauta </dev/null || pkg_fail "apt-get remove pauta"
  ! pkg_installed || pkg_fail "pauta still installed after apt-get remove"
  for f in /usr/bin/pauta /usr/share/applications/pauta.desktop /usr/share/icons/hicolor/48x48/apps/pauta.png; do
    [ ! -e "$f" ] || pkg_fail "$f left after apt-get remove"
  done
  [ $rc -eq 0 ] && echo "package: $deb installs, starts, paints its window and removes cleanly"
  return $rc
}

# Cross-built from Linux with Debian's nsis; checked, not run (no Windows here).
windows_installer() {
  VERSION=$VERSION run_limited "$1" bash scripts/windows.sh "$R/windows-build.log"
}

e2e() {
  local log=$R/e2e.log rc line
  E2E_SKIP_BINDINGS=1 run_limited "$1" bash e2e/run.sh 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  line=$(grep -E '^e2e: [0-9]+ passed' "$log" | tail -n 1)
  P=$(echo "$line" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' || echo 0)
  F=$(echo "$line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || echo 0)
  S=$(echo "$line" | grep -oE '[0-9]+ skipped' | grep -oE '[0-9]+' || echo 0)
  return "$rc"
}

# The same app in WebKitGTK, the engine of Pauta's window (WebKitWebDriver +
# MiniBrowser against a fresh wails dev): e2e/webkit/.
e2e_webkit() {
  local log=$R/e2e-webkit.log rc line
  E2E_SKIP_BINDINGS=1 E2E_OUT_NAME=webkit run_limited "$1" bash e2e/run.sh --config playwright.webkit.config.ts 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  line=$(grep -E '^e2e: [0-9]+ passed' "$log" | tail -n 1)
  P=$(echo "$line" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' || echo 0)
  F=$(echo "$line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || echo 0)
  S=$(echo "$line" | grep -oE '[0-9]+ skipped' | grep -oE '[0-9]+' || echo 0)
  return "$rc"
}

t_all=$SECONDS
step "go vet" 900 go_vet
step "go test -race" 1800 go_test
step "go fuzz (media decode)" 300 go_fuzz
step "Bluesky network (PLC+PDS+AppView)" 900 bsky_test
step "svelte-check" 600 svelte_check
step "vitest" 600 vitest
step "vite build" 600 vite_build
if step "wails build" 1200 wails_build; then
  step "window smoke test" 120 smoke
  step "first frame kept on closing (real window)" 180 frame_close
  step "Linux package (.deb installed)" 600 linux_package
  step "Windows installer (NSIS)" 900 windows_installer
  step "e2e (wails dev + Playwright)" 1200 e2e
  step "e2e WebKitGTK (WebKitWebDriver)" 900 e2e_webkit
else
  skip "window smoke test" "wails build failed"
  skip "Linux package (.deb installed)" "wails build failed"
  skip "Windows installer (NSIS)" "wails build failed"
  skip "e2e (wails dev + Playwright)" "wails build failed"
  skip "e2e WebKitGTK (WebKitWebDriver)" "wails build failed"
fi

printf '\n━━━ Summary (%ss; logs in test-results/)\n' "$((SECONDS - t_all))"
for i in "${!NAMES[@]}"; do
  printf '  %-30s %-10s %5ss   %s\n' "${NAMES[$i]}" "${RESULTS[$i]}" "${TIMES[$i]}" "${COUNTS[$i]}"
done
echo
if [ "$TOTAL_S" -gt 0 ]; then
  echo "Total: $TOTAL_P passed, $TOTAL_F failed, $TOTAL_S skipped"
else
  echo "Total: $TOTAL_P passed, $TOTAL_F failed"
fi
[ "$TOTAL_F" -eq 0 ]
