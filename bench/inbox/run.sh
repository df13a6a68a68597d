#!/usr/bin/env bash
# bench/inbox/run.sh — how fast the inbox paints a busy workspace (issue #14).
# Seeds a temp data dir (bench/inbox/seed: 20 clients, one Mastodon account
# each, 5,000 stored items per account), starts the app in dev mode on it
# (bench/lib/devapp.sh: the production bundle, the Go side optimised), then
# bench.mjs drives Debian's
# Chromium through playwright-core and times opening the inbox and switching
# its client filter, to two frames after the list changed (the page holds
# 200 rows; the list draws the first 30 and more as they scroll near). Goal: < 50 ms
# (medians). The Go side alone: go test -run '^$' -bench Inbox ./backend/inbox/
#   N=9              runs per case (after one warm-up)
#   BENCH_STRICT=1   exit 1 when a goal is missed
#   BENCH_KEEP=1     keep the seeded data dir
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
export PATH="$(go env GOPATH)/bin:$PATH"
. bench/lib/devapp.sh

DATA=$(mktemp -d "${TMPDIR:-/tmp}/pauta-inboxbench.XXXXXX")
DEVAPP_NAME=inbox DEVAPP_DATA=$DATA
devapp_say "seeding $DATA"
go run ./bench/inbox/seed -data-dir "$DATA"
devapp_start inbox "$DATA"
node bench/inbox/bench.mjs | tee "$OUT/results.txt"
