// Copyright 2026 the Pauta authors. Use of this source code is governed by
// the BSD-style license in the LICENSE file of this directory.

// Package jpegscaled is Go's image/jpeg decoder (go1.26, BSD licence, see
// LICENSE) with one change: it can decode at ½, ¼ or ⅛ scale inside the
// inverse DCT, like libjpeg's scale_denom. Pauta's presets never need more
// than a fraction of a 24-MP photo, so decoding only the low frequencies
// saves most of the IDCT, colour conversion and memory work.
//
// Changes from the standard library: package name; no image.RegisterFormat;
// the decoder's shift field, makeImg and reconstructBlock (scan.go);
// DecodeScaled (reader.go); applyBlack uses image/draw instead of an internal
// package; dct.go is unchanged (its forward DCT is unused); this file.
package jpegscaled

import (
	"errors"
	"io"
)

// lowZig[shift] lists the zig-zag indexes whose natural position (u, v) has
// u, v < 8>>shift: the only coefficients a scaled IDCT reads.
var lowZig = func() (t [4][]int) {
	for shift := 1; shift <= 3; shift++ {
		n := 8 >> shift
		for zig := 0; zig < blockSize; zig++ {
			if u, v := unzig[zig]%8, unzig[zig]/8; u < n && v < n {
				t[shift] = append(t[shift], zig)
			}
		}
	}
	return t
}()

// Fixed-point constants, 13 fractional bits.
const (
	fixBits = 13
	fixR    = 5793 // 1/√2
	fixC1   = 7568 // cos(π/8)
	fixC3   = 3135 // sin(π/8) = cos(3π/8)
)

// idctScaled evaluates the band-limited signal a block encodes at the centres
// of 2^shift × 2^shift pixel cells, using only its low (8>>shift)² dequantized
// coefficients: out(x) = ½ Σ_{u<N} C(u) F(u) cos((2x+1)uπ/2N), the N-point
// IDCT of the low coefficients. The N×N result is left in b[y*8+x] (x, y < N)
// as signed samples, like idct's output.
func idctScaled(b *block, shift uint) {
	switch shift {
	case 1:
		idct4(b)
	case 2:
		// ½ · (1/√2) per dimension: ¼ · ½ · (F00 ± F01 ± F10 ± F11).
		f00, f01, f10, f11 := b[0], b[1], b[8], b[9]
		b[0] = (f00 + f01 + f10 + f11 + 4) >> 3
		b[1] = (f00 - f01 + f10 - f11 + 4) >> 3
		b[8] = (f00 + f01 - f10 - f11 + 4) >> 3
		b[9] = (f00 - f01 - f10 + f11 + 4) >> 3
	case 3:
		b[0] = (b[0] + 4) >> 3 // the block's mean
	}
}

// idct4 is a 4×4 inverse DCT of the top-left 4×4 coefficients of b. Per
// dimension: e0,e1 = (F0±F2)/√2; o0 = F1·c1 + F3·c3; o1 = F1·c3 − F3·c1;
// out = ½ (e0+o0, e1+o1, e1−o1, e0−o0).
func idct4(b *block) {
	// Rows: 4 coefficients in, 4 samples out, kept with 3 extra fraction bits
	// (still without the ½ factor).
	var t [16]int32
	for v := 0; v < 4; v++ {
		r := b[v*8 : v*8+4 : v*8+4]
		f0, f1, f2, f3 := r[0], r[1], r[2], r[3]
		if f1 == 0 && f2 == 0 && f3 == 0 {
			dc := (f0*fixR + 1<<(fixBits-4)) >> (fixBits - 3)
			t[v*4+0], t[v*4+1], t[v*4+2], t[v*4+3] = dc, dc, dc, dc
			continue
		}
		e0 := (f0 + f2) * fixR
		e1 := (f0 - f2) * fixR
		o0 := f1*fixC1 + f3*fixC3
		o1 := f1*fixC3 - f3*fixC1
		const sh, rnd = fixBits - 3, 1 << (fixBits - 4)
		t[v*4+0] = (e0 + o0 + rnd) >> sh
		t[v*4+1] = (e1 + o1 + rnd) >> sh
		t[v*4+2] = (e1 - o1 + rnd) >> sh
		t[v*4+3] = (e0 - o0 + rnd) >> sh
	}
	// Columns, then the two ½ factors and the 3 extra bits: shift by
	// fixBits + 3 + 2.
	const sh, rnd = fixBits + 5, 1 << (fixBits + 4)
	for x := 0; x < 4; x++ {
		f0, f1, f2, f3 := t[x], t[4+x], t[8+x], t[12+x]
		e0 := (f0 + f2) * fixR
		e1 := (f0 - f2) * fixR
		o0 := f1*fixC1 + f3*fixC3
		o1 := f1*fixC3 - f3*fixC1
		b[0*8+x] = (e0 + o0 + rnd) >> sh
		b[1*8+x] = (e1 + o1 + rnd) >> sh
		b[2*8+x] = (e1 - o1 + rnd) >> sh
		b[3*8+x] = (e0 - o0 + rnd) >> sh
	}
}

// Truncated reports whether err means the data ended before the image did.
func Truncated(err error) bool {
	return errors.Is(err, errShortHuffmanData) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}
