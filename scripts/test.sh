#!/usr/bin/env bash
# test.sh — every test and check, in order; `make test` runs it after `make deps`.
#   go vet · go test -race (with a real Secret Service) · go fuzz ·
#   Bluesky integration against a real local PDS · svelte-check ·
#   vitest · vite build · wails build · window smoke test · end-to-end
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
VERSION=${VERSION:-$(git describe --always --dirty 2>/dev/null || echo 0.1.0-dev)}

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

# A real Bluesky server (the reference PDS, scripts/local-pds): installed on
# first use (~3.5 min, cached in /tmp/pauta-pds), started fresh, the PDS
# tests run against it (the client, then the app end to end: connect,
# outbox, image, first comment) and must not skip; stopped afterwards.
pds_test() {
  local log=$R/pds-test.log rc
  run_limited "$1" bash scripts/pds-test.sh 2>&1 | tee "$log"
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
  # The bindings step runs the app once: keep it away from ~/.config/pauta.
  local tmp rc
  tmp=$(mktemp -d)
  PAUTA_DATA_DIR=$tmp run_limited "$1" wails build -nocolour -m -nosyncgomod -tags webkit2_41,nodynamic \
    -ldflags "-X main.version=$VERSION" 2>&1 | grep -v -e 'sponsor' -e '♥'
  rc=${PIPESTATUS[0]}
  rm -rf "$tmp"
  [ $rc -eq 0 ] && [ -x build/bin/pauta ] && build/bin/pauta --version
  return $rc
}

smoke() {
  run_limited "$1" bash scripts/smoke.sh --shot "$R/smoke.png"
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

t_all=$SECONDS
step "go vet" 900 go_vet
step "go test -race" 1800 go_test
step "go fuzz (media decode)" 300 go_fuzz
step "Bluesky PDS (real server)" 900 pds_test
step "svelte-check" 600 svelte_check
step "vitest" 600 vitest
step "vite build" 600 vite_build
if step "wails build" 1200 wails_build; then
  step "window smoke test" 120 smoke
  step "e2e (wails dev + Playwright)" 1200 e2e
else
  skip "window smoke test" "wails build failed"
  skip "e2e (wails dev + Playwright)" "wails build failed"
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
