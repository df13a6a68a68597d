#!/bin/sh
# Regenerates the HEIC/AVIF fixtures (Debian 12: imagemagick with libheif 1.15,
# libavif-bin for avifenc). Output differs byte for byte between encoder
# versions; the tests check pixels with a tolerance, not bytes.
set -eu
cd "$(dirname "$0")"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
# Four coloured quadrants, wider than tall: orientation is visible in the pixels.
convert \( -size 24x16 xc:'#d02020' xc:'#20c020' +append \) \
        \( -size 24x16 xc:'#2040d0' xc:'#f0f0f0' +append \) -append "$t/quad.png"
convert "$t/quad.png" -quality 90 quad.heic
convert "$t/quad.png" -quality 90 quad.avif
# Half transparent, for AVIF's alpha.
convert "$t/quad.png" -alpha set -channel A -evaluate set 50% +channel "$t/alpha.png"
avifenc -s 10 --min 10 --max 20 "$t/alpha.png" alpha.avif >/dev/null
# Two frames: an animated AVIF (avis), of which Pauta uses the first.
convert "$t/quad.png" -rotate 180 "$t/quad180.png"
avifenc -s 10 --min 10 --max 20 "$t/quad.png" "$t/quad180.png" anim.avif >/dev/null
# A photo cut in its pixels.
head -c $(( $(stat -c %s quad.heic) * 2 / 3 )) quad.heic > truncated.heic
