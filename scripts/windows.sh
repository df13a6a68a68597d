#!/usr/bin/env bash
# windows.sh [LOG] — cross-builds the Windows app and its NSIS installer from
# Linux (pure Go, no cgo; needs Debian's nsis for makensis), then checks them:
# build/bin/pauta.exe and build/bin/pauta-amd64-installer.exe must carry the
# version resource (ProductName Pauta, the version from the git tag,
# CompanyName = the publisher), the installer must be non-trivial and its
# script must write an uninstaller. Nothing here can run them: that needs
# Windows. Leaves no build/windows/ behind (Wails generates it from its
# templates and build/appicon.png) and wails.json as it was.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
LOG=${1:-build/bin/windows-build.log}
WAILS=${WAILS:-$(go env GOPATH)/bin/wails}
VERSION=${VERSION:-$(go run ./build/version)}
NUMERIC=${VERSION%%[+~]*} # the version resource takes numbers only: 0.3.0+git5.abc1234 → 0.3.0
command -v makensis >/dev/null || { echo "windows: makensis missing (apt-get install nsis)"; exit 1; }
mkdir -p build/bin "$(dirname "$LOG")" frontend/dist
[ -n "$(ls -A frontend/dist)" ] || touch frontend/dist/.gitkeep

had_windows=0
[ -e build/windows ] && had_windows=1
cp wails.json build/bin/.wails.json.orig
restore() {
  cp build/bin/.wails.json.orig wails.json && rm -f build/bin/.wails.json.orig
  [ $had_windows = 1 ] || rm -rf build/windows
}
trap restore EXIT
trap 'exit 143' TERM INT
# The version resource and the installer take info.productVersion.
sed -i -E "s/(\"productVersion\": *\")[^\"]*\"/\1$NUMERIC\"/" wails.json
grep -q "\"productVersion\": \"$NUMERIC\"" wails.json || { echo "windows: could not set productVersion in wails.json"; exit 1; }

echo "Building build/bin/pauta.exe $VERSION and its installer (log: $LOG)"
t0=$SECONDS
tmp=$(mktemp -d)
rm -f build/bin/pauta.exe build/bin/pauta-amd64-installer.exe
PAUTA_DATA_DIR=$tmp "$WAILS" build -platform windows/amd64 -nsis -nocolour -m -nosyncgomod -tags nodynamic \
  -ldflags "-X main.version=$VERSION" -o pauta.exe >"$LOG" 2>&1 </dev/null
rc=$?
rm -rf "$tmp"
if [ $rc -ne 0 ]; then
  echo "windows: wails build failed (exit $rc); the end of $LOG:"
  grep -v -E -e 'KnownStructs: ' -e '^Not found: time\.Time$' -e 'sponsor' -e '♥' "$LOG" | tail -n 40 | sed 's/^/    /'
  exit $rc
fi
echo "Built in $((SECONDS - t0))s"
ok=0
for exe in build/bin/pauta.exe build/bin/pauta-amd64-installer.exe; do
  [ -f "$exe" ] || { echo "windows: FAIL: no $exe"; ok=1; continue; }
  (cd build/package && go run . pe -file "$ROOT/$exe" -version "$NUMERIC" -product Pauta -company Pauta) || ok=1
done
size=$(stat -c %s build/bin/pauta-amd64-installer.exe 2>/dev/null || echo 0)
[ "$size" -gt 4000000 ] || { echo "windows: FAIL: the installer is $size bytes (the app alone is ~10 MB compressed)"; ok=1; }
grep -q 'wails.writeUninstaller' build/windows/installer/project.nsi 2>/dev/null ||
  { echo "windows: FAIL: the installer script writes no uninstaller"; ok=1; }
[ $ok = 0 ] && echo "windows: pauta.exe and pauta-amd64-installer.exe ($((size / 1024 / 1024)) MB) carry Pauta $NUMERIC by Pauta, with an uninstaller"
exit $ok
