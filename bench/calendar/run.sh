#!/usr/bin/env bash
# bench/calendar/run.sh — how fast the calendar paints a busy workspace.
# Seeds a temp data dir (bench/calendar/seed: 20 clients, 10,000 posts over a
# year centred on today, ~800 a month), starts the app in dev mode on it
# (bench/lib/devapp.sh: the production bundle, the Go side built optimised,
# Xvfb and a private keyring like e2e/run.sh), then bench.mjs drives Debian's
# Chromium through playwright-core and times navigation click → two
# animation frames after the fetched posts are in the DOM. Goals: month open
# / next month < 100 ms, week < 150 ms (medians).
#   N=5                runs per case (after one warm-up)
#   BENCH_STRICT=1     exit 1 when a goal is missed
#   BENCH_KEEP=1       keep the seeded data dir
#   BENCH_DEV=1        measure vite's dev build (and wails dev) instead
#   BENCH_WAILS_DEV=1  wails dev's unoptimised Go build, as before
#   BENCH_PAUSE_MS     pause between samples (default 1000: the user reads the
#                      view; the calendar prefetches the neighbouring ranges)
#   BENCH_PORT         the app's port (default 34115)
#   BENCH_PREVIEW_PORT vite preview's port (default 4179)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
export PATH="$(go env GOPATH)/bin:$PATH"
. bench/lib/devapp.sh

DATA=$(mktemp -d "${TMPDIR:-/tmp}/pauta-calbench.XXXXXX")
DEVAPP_NAME=calendar DEVAPP_DATA=$DATA
devapp_say "seeding $DATA"
go run ./bench/calendar/seed -data-dir "$DATA"
devapp_start calendar "$DATA"
BENCH_URL=${BENCH_URL:-http://localhost:$PORT} node bench/calendar/bench.mjs | tee "$OUT/results.txt"
