# bench/lib/devapp.sh — sourced by the Chromium benches (bench/calendar,
# bench/inbox): serves the production frontend bundle with `vite preview`,
# starts Pauta in dev mode in front of it with the live Go bindings on a seeded
# data dir (Xvfb, a private D-Bus session with a keyring, like e2e/run.sh),
# waits until it answers, and kills the whole process tree on exit. The Go
# side is built optimised like a release (BENCH_WAILS_DEV=1: wails dev's
# unoptimised debug build, as before).
#   devapp_start NAME DATA    NAME names the output folder bench/out/NAME
# Sets PORT (BENCH_PORT, default 34115), OUT. BENCH_DEV=1 measures vite's dev build instead;
# BENCH_KEEP=1 keeps DATA. One app per port: set BENCH_PORT for a second run.
PORT=${BENCH_PORT:-34115}
devapp_say() { printf '[%s-bench] %s\n' "$DEVAPP_NAME" "$*"; }
devapp_http_ok() {
  node -e "fetch('http://localhost:$PORT/').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
}

devapp_tree_pids() { # the leader and all its descendants, found before killing anything
  local -A parent=()
  local f pid rest stat
  for f in /proc/[0-9]*/stat; do
    { read -r stat <"$f"; } 2>/dev/null || continue
    pid=${f#/proc/}; pid=${pid%/stat}
    rest=${stat##*) }; rest=${rest#* }
    parent[$pid]=${rest%% *}
  done
  local todo=("$1") out=() p k
  while [ ${#todo[@]} -gt 0 ]; do
    p=${todo[0]}; todo=("${todo[@]:1}"); out+=("$p")
    for k in "${!parent[@]}"; do [ "${parent[$k]}" = "$p" ] && todo+=("$k"); done
  done
  echo "${out[@]}"
}

devapp_cleanup() {
  local rc=$? pids="" p
  trap - EXIT INT TERM
  [ -n "${DEVAPP_LEADER:-}" ] && pids=$(devapp_tree_pids "$DEVAPP_LEADER")
  [ -n "${DEVAPP_PREVIEW:-}" ] && pids="$pids $(devapp_tree_pids "$DEVAPP_PREVIEW")"
  [ -n "${DEVAPP_LEADER:-}" ] && kill -TERM -- "-$DEVAPP_LEADER" 2>/dev/null || true
  [ -n "${DEVAPP_PREVIEW:-}" ] && kill -TERM -- "-$DEVAPP_PREVIEW" 2>/dev/null || true
  for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
  sleep 1
  [ -n "${DEVAPP_LEADER:-}" ] && kill -KILL -- "-$DEVAPP_LEADER" 2>/dev/null || true
  for p in $pids; do kill -KILL "$p" 2>/dev/null || true; done
  [ -n "${DEVAPP_LEADER:-}" ] && { wait "$DEVAPP_LEADER" 2>/dev/null || true; }
  [ -n "${DEVAPP_DIST:-}" ] && rm -rf "$DEVAPP_DIST"
  if [ "${BENCH_KEEP:-}" = 1 ]; then devapp_say "data dir kept: $DEVAPP_DATA"; else rm -rf "$DEVAPP_DATA"; fi
  exit $rc
}

devapp_start() {
  DEVAPP_NAME=$1 DEVAPP_DATA=$2
  OUT=$ROOT/bench/out/$DEVAPP_NAME
  mkdir -p "$OUT"
  trap devapp_cleanup EXIT
  trap 'exit 130' INT TERM
  if devapp_http_ok; then
    devapp_say "something already answers on :$PORT (another wails dev?); stop it first"
    exit 1
  fi
  # The production bundle (what users run), not vite's dev build: built
  # into a temp dir and served by `vite preview`, which wails dev fronts
  # with the live Go bindings (-frontenddevserverurl).
  mkdir -p frontend/dist && [ -n "$(ls -A frontend/dist)" ] || touch frontend/dist/.gitkeep
  local front=() preview_port=${BENCH_PREVIEW_PORT:-4179}
  if [ "${BENCH_DEV:-}" != 1 ]; then
    DEVAPP_DIST=$(mktemp -d "${TMPDIR:-/tmp}/pauta-bench-dist.XXXXXX")
    devapp_say "building the frontend into $DEVAPP_DIST"
    (cd frontend && npx vite build --outDir "$DEVAPP_DIST" --emptyOutDir >"$OUT/vite-build.log" 2>&1)
    (cd frontend && exec setsid npx vite preview --outDir "$DEVAPP_DIST" --port "$preview_port" --strictPort >"$OUT/vite-preview.log" 2>&1 </dev/null) &
    DEVAPP_PREVIEW=$!
    front=(-frontenddevserverurl "http://localhost:$preview_port")
  fi
  if [ "${BENCH_WAILS_DEV:-}" = 1 ] || [ "${BENCH_DEV:-}" = 1 ]; then
    # wails dev's own build: it compiles with -gcflags all=-N -l (no
    # optimisation, for debuggers), which makes the Go side — SQLite
    # included, modernc's is Go — several times slower than the shipped app.
    LANG=C.UTF-8 LC_ALL=C.UTF-8 setsid bash scripts/with-keyring.sh \
      xvfb-run -a -s "-screen 0 1600x900x24" wails dev -m -nosyncgomod -s -nogorebuild -noreload -nocolour -skipbindings \
      -tags webkit2_41,nodynamic -devserver "localhost:$PORT" -viteservertimeout 120 "${front[@]}" -appargs "--data-dir $DEVAPP_DATA" \
      >"$OUT/wails-dev.log" 2>&1 </dev/null &
  else
    # The same dev-mode app (the bindings served to a browser on :PORT),
    # compiled like a release: what wails dev runs, minus its debug flags,
    # started with the settings wails dev hands it in the environment.
    devapp_say "building the app (optimised, dev mode)"
    go build -tags dev,webkit2_41,nodynamic -o "$OUT/pauta-bench" . >"$OUT/go-build.log" 2>&1 || { cat "$OUT/go-build.log"; exit 1; }
    LANG=C.UTF-8 LC_ALL=C.UTF-8 devserver="localhost:$PORT" frontenddevserverurl="http://localhost:$preview_port" loglevel=Info assetdir="" \
      setsid bash scripts/with-keyring.sh xvfb-run -a -s "-screen 0 1600x900x24" "$OUT/pauta-bench" --data-dir "$DEVAPP_DATA" \
      >"$OUT/wails-dev.log" 2>&1 </dev/null &
  fi
  DEVAPP_LEADER=$!
  devapp_say "app starting (log $OUT/wails-dev.log)"
  local t0=$SECONDS
  until devapp_http_ok; do
    if ! kill -0 "$DEVAPP_LEADER" 2>/dev/null; then devapp_say "wails dev exited; see $OUT/wails-dev.log"; tail -n 30 "$OUT/wails-dev.log"; exit 1; fi
    [ $((SECONDS - t0)) -lt 360 ] || { devapp_say "not up after 360 s"; exit 1; }
    sleep 1
  done
  devapp_say "up after $((SECONDS - t0)) s"
}
