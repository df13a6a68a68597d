#!/usr/bin/env bash
# build.sh VERSION [LOG] — `wails build` of build/bin/pauta for Linux, quietly:
# the whole output goes to LOG (default build/bin/wails-build.log); the
# terminal gets one line before and one after, or on failure the end of the
# log without Wails' noise (the bindings generator's "KnownStructs:" and
# "Not found: time.Time" lines, the sponsor banner).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
VERSION=${1:?usage: build.sh VERSION [LOG]}
LOG=${2:-build/bin/wails-build.log}
WAILS=${WAILS:-$(go env GOPATH)/bin/wails}
mkdir -p build/bin "$(dirname "$LOG")" frontend/dist
# go:embed needs a non-empty frontend/dist; wails build fills it.
[ -n "$(ls -A frontend/dist)" ] || touch frontend/dist/.gitkeep

noise() { grep -v -E -e 'KnownStructs: ' -e '^Not found: time\.Time$' -e 'sponsor' -e '♥'; }

echo "Building build/bin/pauta $VERSION (the first build takes a few minutes; log: $LOG)"
t0=$SECONDS
# To generate the bindings, wails build runs the app once without arguments,
# so it would open the default workspace (~/.config/pauta): PAUTA_DATA_DIR
# points that run at a throwaway folder instead.
tmp=$(mktemp -d)
PAUTA_DATA_DIR=$tmp "$WAILS" build -nocolour -m -nosyncgomod -tags webkit2_41,nodynamic \
  -ldflags "-X main.version=$VERSION" >"$LOG" 2>&1 </dev/null
rc=$?
rm -rf "$tmp"
if [ $rc -ne 0 ] || [ ! -x build/bin/pauta ]; then
  echo "wails build failed (exit $rc); the end of $LOG:"
  noise <"$LOG" | tail -n 40 | sed 's/^/    /'
  exit $(( rc == 0 ? 1 : rc ))
fi
got=$(build/bin/pauta --version) || exit 1
[ "$got" = "pauta $VERSION" ] || { echo "build/bin/pauta --version says '$got', want 'pauta $VERSION'"; exit 1; }
echo "Built $got in $((SECONDS - t0))s"
