#!/usr/bin/env bash
# Keystroke cost of the composer's live counters: every network counted per
# keystroke on typical, 2,000- and 10,000-character texts (prints a table).
set -euo pipefail
cd "$(dirname "$0")/../../frontend"
[ -d node_modules ] || npm ci --no-audit --no-fund
PAUTA_BENCH=1 npx vitest run src/lib/limits.perf.test.ts --reporter=verbose
