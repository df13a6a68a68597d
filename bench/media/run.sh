#!/usr/bin/env bash
# Pauta's five main image presets against libvips (npm sharp) and ImageMagick.
#
#   bench/media/run.sh            N=5 runs of each (override: N=9 bench/media/run.sh)
#
# Generates bench/out/photo-24mp.jpg once (6000×4000, q90, photo-like), then
# times, on that file, the five presets 1080×1080, 1080×1350, 1080×1920,
# 1600×900, 1000×1500 as centre fills, JPEG q85:
#   pauta   bench/media (backend/media), one decode, presets on 2 goroutines
#   sharp   libvips in-process, two presets at a time, each with shrink-on-load
#   magick  /usr/bin/convert, one command: -define jpeg:size, decode once, +clone
# "fresh" is a new process per run, timed from outside by /usr/bin/time (wall
# seconds, user+system CPU, peak RSS); "warm" is inside one process after a
# warm-up. Times are min / median in ms; CPU time is printed too because a
# shared machine stretches wall times. The last line is `ratio <pauta/sharp>`, warm against
# warm (the issue's libvips reference, 0.38 s, is warm); the fresh ratio is
# printed just above it.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=bench/out
N=${N:-5}
IMG=$OUT/photo-24mp.jpg
mkdir -p "$OUT"

go build -o "$OUT/media-bench" ./bench/media
[ -f "$IMG" ] || "$OUT/media-bench" gen "$IMG"
if [ ! -d "$OUT/node_modules/sharp" ]; then
  (cd "$OUT" && npm install --no-save --no-package-lock --loglevel=error sharp >/dev/null)
fi
cp bench/media/sharp.cjs "$OUT/sharp.cjs"
CONVERT=/usr/bin/convert
[ -x "$CONVERT" ] || { echo "ImageMagick missing: apt-get install imagemagick" >&2; exit 1; }

echo "image: $IMG ($(stat -c %s "$IMG") bytes), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"

# stats FILE: "min / median" of the numbers in FILE, one a line.
stats() { sort -n "$1" | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.0f / %.0f", a[1], m}'; }
minof() { sort -n "$1" | sed -n 1p; }

# fresh NAME CMD...: N fresh processes under /usr/bin/time.
fresh() {
  local name=$1; shift
  : >"$OUT/$name.fresh.ms"; : >"$OUT/$name.fresh.kb"; : >"$OUT/$name.fresh.cpu"
  for _ in $(seq "$N"); do
    /usr/bin/time -f '%e %U %S %M' -o "$OUT/time.txt" "$@" >/dev/null
    awk '{print $1*1000}' "$OUT/time.txt" >>"$OUT/$name.fresh.ms"
    awk '{print ($2+$3)*1000}' "$OUT/time.txt" >>"$OUT/$name.fresh.cpu"
    awk '{print $4}' "$OUT/time.txt" >>"$OUT/$name.fresh.kb"
  done
  printf '%-7s fresh  wall %-13s ms  cpu %-13s ms  peak RSS %s MiB\n' "$name" "$(stats "$OUT/$name.fresh.ms")" \
    "$(stats "$OUT/$name.fresh.cpu")" "$(sort -n "$OUT/$name.fresh.kb" | tail -1 | awk '{printf "%.0f", $1/1024}')"
}

# warm NAME CMD...: the command prints "ms T" per warm run and "rss_kb K".
warm() {
  local name=$1; shift
  "$@" >"$OUT/$name.warm.txt"
  awk '$1=="ms"{print $2}' "$OUT/$name.warm.txt" >"$OUT/$name.warm.ms"
  awk '$1=="ms"{print $4}' "$OUT/$name.warm.txt" >"$OUT/$name.warm.cpu"
  printf '%-7s warm   wall %-13s ms  cpu %-13s ms  peak RSS %s MiB\n' "$name" "$(stats "$OUT/$name.warm.ms")" \
    "$(stats "$OUT/$name.warm.cpu")" "$(awk '$1=="rss_kb"{printf "%.0f", $2/1024}' "$OUT/$name.warm.txt")"
}

magick() {
  local args=(-define jpeg:size=3000x2000 "$IMG" -strip)
  for wh in 1080x1080 1080x1350 1080x1920 1600x900 1000x1500; do
    args+=('(' +clone -resize "${wh}^" -gravity center -extent "$wh" -quality 85 -write "$OUT/magick-$wh.jpg" +delete ')')
  done
  "$CONVERT" "${args[@]}" null:
}

fresh pauta "$OUT/media-bench" fresh "$IMG" "$OUT"
warm pauta "$OUT/media-bench" warm "$IMG" "$OUT" "$N"
fresh sharp node "$OUT/sharp.cjs" fresh "$IMG" "$OUT"
warm sharp node "$OUT/sharp.cjs" warm "$IMG" "$OUT" "$N"
export -f magick; export IMG OUT CONVERT
fresh magick bash -c magick

for f in pauta-1080x1080 pauta-1080x1350 pauta-1080x1920 pauta-1600x900 pauta-1000x1500; do
  [ -s "$OUT/$f.jpg" ] || { echo "missing output $f.jpg" >&2; exit 1; }
done
awk -v p="$(minof "$OUT/pauta.fresh.ms")" -v s="$(minof "$OUT/sharp.fresh.ms")" -v m="$(minof "$OUT/magick.fresh.ms")" \
  'BEGIN {printf "fresh ratio (process wall, min): pauta/sharp %.2f, magick/sharp %.2f\n", p/s, m/s}'
awk -v p="$(minof "$OUT/pauta.warm.cpu")" -v s="$(minof "$OUT/sharp.warm.cpu")" \
  'BEGIN {printf "warm CPU-time ratio (min; less sensitive to a busy machine): pauta/sharp %.2f\n", p/s}'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v p="$(minof "$OUT/pauta.warm.ms")" -v s="$(minof "$OUT/sharp.warm.ms")" \
  'BEGIN {printf "ratio %.2f\n", p/s}'
