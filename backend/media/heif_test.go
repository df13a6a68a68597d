package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/media/mediatest"
)

// The fixtures (testdata/make_heif.sh) show four quadrants: red, green /
// blue, white, 48×32.
var quadColours = [4]color.NRGBA{{0xd0, 0x20, 0x20, 0xff}, {0x20, 0xc0, 0x20, 0xff}, {0x20, 0x40, 0xd0, 0xff}, {0xf0, 0xf0, 0xf0, 0xff}}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// quadReference is the fixture's picture turned by EXIF orientation o.
func quadReference(o int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, 48, 32))
	for y := range 32 {
		for x := range 48 {
			img.SetNRGBA(x, y, quadColours[(y/16)*2+x/24])
		}
	}
	return orient(img, o)
}

// renderPNG renders data at its own size as PNG and decodes the output.
func renderPNG(t *testing.T, p *Processor, name string, data []byte) (Result, *image.NRGBA) {
	t.Helper()
	res, err := p.Render(bg, name, data, reqs(Centre(), Preset{ID: "t.within", MaxLongSide: 48, Formats: []Format{JPEG, PNG}}))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	out, _, err := image.Decode(bytes.NewReader(res.Outputs[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	return res, toNRGBA(out)
}

// sameQuadrants compares the centre of each quadrant-sized block, with the
// tolerance of a lossy codec.
func sameQuadrants(t *testing.T, what string, got, want *image.NRGBA) {
	t.Helper()
	if got.Rect != want.Rect {
		t.Fatalf("%s: %v, want %v", what, got.Rect, want.Rect)
	}
	w, h := want.Rect.Dx(), want.Rect.Dy()
	for _, pt := range []image.Point{{w / 4, h / 4}, {3 * w / 4, h / 4}, {w / 4, 3 * h / 4}, {3 * w / 4, 3 * h / 4}} {
		g, e := got.NRGBAAt(pt.X, pt.Y), want.NRGBAAt(pt.X, pt.Y)
		for _, d := range []int{int(g.R) - int(e.R), int(g.G) - int(e.G), int(g.B) - int(e.B), int(g.A) - int(e.A)} {
			if d < -24 || d > 24 {
				t.Fatalf("%s at %v: %v, want %v", what, pt, g, e)
			}
		}
	}
}

func TestHEIFDecodes(t *testing.T) {
	p := newProc()
	defer p.Close()
	for _, name := range []string{"quad.heic", "quad.avif"} {
		res, img := renderPNG(t, p, name, fixture(t, name))
		want := Format(strings.TrimPrefix(filepath.Ext(name), "."))
		if res.Info.Format != want || res.Info.Width != 48 || res.Info.Height != 32 || res.Info.Animated {
			t.Fatalf("%s: %+v", name, res.Info)
		}
		sameQuadrants(t, name, img, quadReference(1))
	}
}

func TestAVIFAlphaAndAnimation(t *testing.T) {
	p := newProc()
	defer p.Close()
	_, img := renderPNG(t, p, "alpha.avif", fixture(t, "alpha.avif"))
	if a := img.NRGBAAt(10, 10).A; a < 118 || a > 138 {
		t.Fatalf("alpha %d, want about 128", a)
	}
	// The first frame of two, with the note an animated GIF gets.
	res, img := renderPNG(t, p, "anim.avif", fixture(t, "anim.avif"))
	if !res.Info.Animated || len(res.Notes) == 0 || res.Notes[0] != NoteGIFFirstFrame {
		t.Fatalf("%+v, notes %v", res.Info, res.Notes)
	}
	sameQuadrants(t, "first frame", img, quadReference(1))
}

// TestHEIFOrientation adds irot/imir properties to the fixtures: HEIC is
// turned by libheif, AVIF by Pauta; both come out upright, and the header
// already announces the upright size.
func TestHEIFOrientation(t *testing.T) {
	p := newProc()
	defer p.Close()
	cases := []struct {
		props [][]byte
		want  int // EXIF orientation they amount to
	}{
		{[][]byte{irot(1)}, 8}, // 90° anticlockwise
		{[][]byte{irot(3)}, 6},
		{[][]byte{irot(2)}, 3},
		// Mirrored about the vertical axis, as the HEIF standard and libavif
		// read imir's axis 0 (libheif 1.18 flips top to bottom instead: HEIC
		// mirroring is left to it, and no camera writes imir).
		{[][]byte{imir(0)}, 2},
		{[][]byte{irot(1), imir(0)}, 7},
	}
	for _, name := range []string{"quad.heic", "quad.avif"} {
		for _, c := range cases {
			if name == "quad.heic" && c.want != 8 && c.want != 6 && c.want != 3 {
				continue
			}
			data := withProperties(t, fixture(t, name), c.props...)
			info, err := p.Inspect(name, data)
			if err != nil {
				t.Fatal(err)
			}
			ref := quadReference(c.want)
			if info.Orientation != c.want || info.Width != ref.Rect.Dx() || info.Height != ref.Rect.Dy() {
				t.Fatalf("%s %d: %+v", name, c.want, info)
			}
			_, img := renderPNG(t, p, name, data)
			sameQuadrants(t, fmt.Sprintf("%s turned %d", name, c.want), img, ref)
		}
	}
}

// TestHEIFLimitsBeforeDecode: a grid announcing 20000×20000 pixels is
// refused from its header; no decoder process even starts.
func TestHEIFLimitsBeforeDecode(t *testing.T) {
	for _, name := range []string{"quad.heic", "quad.avif"} {
		bomb := withSize(t, fixture(t, name), 20000, 20000)
		bomb = bytes.Replace(bomb, []byte("hvc1"), []byte("grid"), 1)
		bomb = bytes.Replace(bomb, []byte("av01"), []byte("grid"), 1)
		decoded := false
		p := newProc(WithDecodeHook(func(Format, int) { decoded = true }))
		_, err := p.Render(bg, name, bomb, reqs(Centre(), jpegPreset("t.p", 64, 64)))
		if e := backend.AsError(err); e.Key != "media.too_many_pixels" || e.Params["width"] != "20000" {
			t.Fatalf("%s: %v", name, err)
		}
		if decoded || p.dec.cmd != nil {
			t.Fatalf("%s: decoded a bomb", name)
		}
		// Within the pixel limit but not the memory budget: refused as well.
		p = newProc(WithDecodeHook(func(Format, int) { decoded = true }))
		_, err = p.Render(bg, name, withSize(t, fixture(t, name), 9000, 9000), reqs(Centre(), jpegPreset("t.p", 64, 64)))
		if e := backend.AsError(err); e.Key != "media.too_large_to_decode" || decoded || p.dec.cmd != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

func TestHEIFBadInput(t *testing.T) {
	p := newProc()
	defer p.Close()
	jpg := mediatest.JPEG(mediatest.PhotoLike(48, 32, 1), 80)
	heic := fixture(t, "quad.heic")
	key := func(name string, data []byte) (string, map[string]string) {
		_, err := p.Render(bg, name, data, reqs(Centre(), jpegPreset("t.p", 32, 32)))
		if err == nil {
			return "", nil
		}
		e := backend.AsError(err)
		if e.Code != backend.EInvalid {
			t.Fatalf("%s: %v", name, err)
		}
		return e.Key, e.Params
	}
	for _, c := range []struct {
		name string
		data []byte
		key  string
	}{
		{"photo.heic", jpg, "media.type_mismatch"},  // a JPEG named .heic
		{"photo.jpg", heic, "media.type_mismatch"},  // and the reverse
		{"photo.avif", heic, "media.type_mismatch"}, // HEVC is not AVIF
		{"photo.heic", heic[:200], "media.corrupt"}, // cut in its header
		{"photo.heic", bytes.Replace(heic, []byte("pitm\x00\x00\x00\x00\x00\x02"), []byte("pitm\x00\x00\x00\x00\x00\x07"), 1), "media.corrupt"}, // no primary image
		{"photo.heic", zeroBox(heic, "hvcC"), "media.corrupt"}, // no decoder configuration
	} {
		if k, _ := key(c.name, c.data); k != c.key {
			t.Fatalf("%s (%d bytes): %q, want %q", c.name, len(c.data), k, c.key)
		}
	}
	k, params := key("truncated.heic", fixture(t, "truncated.heic"))
	if k != "media.corrupt" || params["reason"] != "truncated" {
		t.Fatalf("truncated: %s %v", k, params)
	}
	// After all that the same decoder process still decodes.
	if k, _ := key("photo.heic", heic); k != "" {
		t.Fatal(k)
	}
}

// TestHEIFDecoderBounds: a decode past its memory cap or its deadline, or
// cancelled, is an error for that image; the next decode works.
func TestHEIFDecoderBounds(t *testing.T) {
	data := fixture(t, "quad.avif")
	p := newProc()
	defer p.Close()
	info, err := p.Inspect("quad.avif", data)
	if err != nil {
		t.Fatal(err)
	}
	small := info
	small.shape.wasm, small.shape.wasmBase = 1, 64<<10 // below what the module starts with
	_, err = p.decode(bg, "quad.avif", data, small, 1)
	if e := backend.AsError(err); e.Key != "media.decode_memory" {
		t.Fatalf("memory: %v", err)
	}

	slow := newProc(WithDecodeTimeout(time.Nanosecond)) // ends before the decoder process can answer
	defer slow.Close()
	if err := slow.Warm(bg); err != nil { // started and compiled in time: the decode itself is late
		t.Fatal(err)
	}
	_, err = slow.decode(bg, "quad.avif", data, info, 1)
	if e := backend.AsError(err); e.Key != "media.decode_timeout" {
		t.Fatalf("timeout: %v", err)
	}

	ctx, cancel := context.WithCancel(bg)
	cancel()
	if _, err := p.decode(ctx, "quad.avif", data, info, 1); err != context.Canceled {
		t.Fatalf("cancelled: %v", err)
	}
	if _, err := p.decode(bg, "quad.avif", data, info, 1); err != nil {
		t.Fatalf("after: %v", err)
	}
}

// TestWasmMemoryModel: the decoders' measured peaks stay within the caps
// the budget counts.
func TestWasmMemoryModel(t *testing.T) {
	p := newProc()
	defer p.Close()
	var peaks []string
	p.dec.measured = func(f Format, peak, memCap int64) {
		if peak > memCap {
			t.Errorf("%s: peak %d above its cap %d", f, peak, memCap)
		}
		peaks = append(peaks, string(f))
	}
	for _, name := range []string{"quad.heic", "quad.avif", "alpha.avif"} {
		renderPNG(t, p, name, fixture(t, name))
	}
	if len(peaks) != 3 {
		t.Fatalf("measured %v", peaks)
	}
}

// --- building variants of the fixtures' boxes ---

func irot(angle byte) []byte { return mkBox("irot", []byte{angle}) }
func imir(axis byte) []byte  { return mkBox("imir", []byte{axis}) }

func mkBox(typ string, body []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(8+len(body)))
	return append(append(b, typ...), body...)
}

// span is a box's place in a file: where it starts and ends.
type span struct{ at, end int }

// findBox finds the first box of a path of types under [at,end), the
// first path element at that level; full boxes are entered past their
// version and flags.
func findBox(t testing.TB, data []byte, at, end int, path ...string) span {
	t.Helper()
	for i := at; i+8 <= end; {
		n := int(binary.BigEndian.Uint32(data[i:]))
		if n < 8 || i+n > end {
			break
		}
		if string(data[i+4:i+8]) == path[0] {
			if len(path) == 1 {
				return span{i, i + n}
			}
			body := i + 8
			switch path[0] {
			case "meta", "iinf", "iref":
				body += 4
			}
			return findBox(t, data, body, i+n, path[1:]...)
		}
		i += n
	}
	t.Fatalf("no box %v", path)
	return span{}
}

// withSize rewrites the primary image's ispe (in place).
func withSize(t testing.TB, data []byte, w, h uint32) []byte {
	out := bytes.Clone(data)
	_, _, props := primaryEntry(t, out)
	for _, p := range props {
		if string(out[p.at+4:p.at+8]) == "ispe" {
			binary.BigEndian.PutUint32(out[p.at+12:], w)
			binary.BigEndian.PutUint32(out[p.at+16:], h)
			return out
		}
	}
	t.Fatal("no ispe")
	return nil
}

// primaryEntry finds the primary item's ipma entry: where its association
// count is, how many associations it has, and its properties' boxes.
func primaryEntry(t testing.TB, data []byte) (countAt, n int, props []span) {
	t.Helper()
	pitm := findBox(t, data, 0, len(data), "meta", "pitm")
	primary := int(binary.BigEndian.Uint16(data[pitm.at+12:]))
	ipco := findBox(t, data, 0, len(data), "meta", "iprp", "ipco")
	var all []span
	for i := ipco.at + 8; i < ipco.end; i += int(binary.BigEndian.Uint32(data[i:])) {
		all = append(all, span{i, i + int(binary.BigEndian.Uint32(data[i:]))})
	}
	ipma := findBox(t, data, 0, len(data), "meta", "iprp", "ipma")
	if data[ipma.at+8] != 0 {
		t.Fatal("ipma version 1")
	}
	per := 1
	if data[ipma.at+11]&1 != 0 {
		per = 2
	}
	r := ipma.at + 16
	for range binary.BigEndian.Uint32(data[ipma.at+12:]) {
		id := int(binary.BigEndian.Uint16(data[r:]))
		count := int(data[r+2])
		if id == primary {
			for k := range count {
				idx := int(data[r+3+k*per]) & 0x7F // the essential bit off
				if per == 2 {
					idx = int(binary.BigEndian.Uint16(data[r+3+k*per:])) & 0x7FFF
				}
				props = append(props, all[idx-1])
			}
			return r + 2, count, props
		}
		r += 3 + count*per
	}
	t.Fatal("no ipma entry for the primary item")
	return
}

// gridRows rewrites the rows of the grid stored in idat.
func gridRows(t testing.TB, data []byte, rows byte) []byte {
	out := bytes.Clone(data)
	idat := findBox(t, out, 0, len(out), "meta", "idat")
	out[idat.at+8+2] = rows - 1
	return out
}

// zeroBox blanks the body of the first box of a type.
func zeroBox(data []byte, typ string) []byte {
	out := bytes.Clone(data)
	i := bytes.Index(out, []byte(typ)) - 4
	clear(out[i+8 : i+int(binary.BigEndian.Uint32(out[i:]))])
	return out
}

// withProperties appends properties to ipco and associates them with the
// primary item, growing meta's boxes and moving
// iloc's file offsets to match.
func withProperties(t testing.TB, data []byte, props ...[]byte) []byte {
	t.Helper()
	var add []byte
	for _, p := range props {
		add = append(add, p...)
	}
	ipco := findBox(t, data, 0, len(data), "meta", "iprp", "ipco")
	ipma := findBox(t, data, 0, len(data), "meta", "iprp", "ipma")
	nprops := 0
	for i := ipco.at + 8; i < ipco.end; i += int(binary.BigEndian.Uint32(data[i:])) {
		nprops++
	}
	flags := data[ipma.at+11]
	countAt, n, _ := primaryEntry(t, data)
	var assoc []byte
	for k := range props {
		idx := nprops + 1 + k
		if flags&1 != 0 {
			assoc = binary.BigEndian.AppendUint16(assoc, uint16(idx))
		} else {
			assoc = append(assoc, byte(idx))
		}
	}
	if ipco.end > ipma.at {
		t.Fatal("ipma before ipco")
	}
	var out []byte
	out = append(out, data[:ipco.end]...)
	out = append(out, add...)
	out = append(out, data[ipco.end:countAt]...)
	out = append(out, data[countAt]+byte(len(props)))
	// The new associations go after the existing ones of that entry.
	per := 1
	if flags&1 != 0 {
		per = 2
	}
	out = append(out, data[countAt+1:countAt+1+n*per]...)
	out = append(out, assoc...)
	out = append(out, data[countAt+1+n*per:]...)
	grow := len(add) + len(assoc)
	meta := findBox(t, data, 0, len(data), "meta")
	iprp := findBox(t, data, 0, len(data), "meta", "iprp")
	for _, b := range []struct {
		at, by int
	}{{meta.at, grow}, {iprp.at, grow}, {ipco.at, len(add)}, {ipma.at + len(add), len(assoc)}} {
		binary.BigEndian.PutUint32(out[b.at:], binary.BigEndian.Uint32(out[b.at:])+uint32(b.by))
	}
	iloc := findBox(t, out, 0, len(out), "meta", "iloc")
	moveIloc(t, out[iloc.at:iloc.end], grow)
	return out
}

// moveIloc adds by to every file offset in an iloc box (items stored in
// idat are left alone).
func moveIloc(t testing.TB, b []byte, by int) {
	v := b[8]
	r := 12
	offSize, lenSize := int(b[r]>>4), int(b[r]&15)
	baseSize, idxSize := int(b[r+1]>>4), int(b[r+1]&15)
	if v == 0 {
		idxSize = 0
	}
	r += 2
	get := func(n int) int {
		x := 0
		for range n {
			x = x<<8 | int(b[r])
			r++
		}
		return x
	}
	put := func(at, n, x int) {
		for k := n - 1; k >= 0; k-- {
			b[at+k] = byte(x)
			x >>= 8
		}
	}
	count := get(map[bool]int{true: 4, false: 2}[v == 2])
	for range count {
		get(map[bool]int{true: 4, false: 2}[v == 2]) // item ID
		method := 0
		if v >= 1 {
			method = get(2) & 15
		}
		get(2) // data reference index
		baseAt := r
		base := get(baseSize)
		if method == 0 && baseSize > 0 {
			put(baseAt, baseSize, base+by)
		}
		extents := get(2)
		for range extents {
			get(idxSize)
			offAt := r
			off := get(offSize)
			if method == 0 && baseSize == 0 && offSize > 0 {
				put(offAt, offSize, off+by)
			}
			get(lenSize)
		}
	}
	if r > len(b) {
		t.Fatal("iloc overrun")
	}
}

func jpegPreset(id string, w, h int) Preset {
	return Preset{ID: id, Width: w, Height: h, Formats: []Format{JPEG}}
}

// TestHEIC24MegapixelsFitTheBudget: an iPhone's 24-megapixel portrait
// photo (5712×4284 turned by irot) renders the main presets within the
// default memory budget, shrunk on load.
func TestHEIC24MegapixelsFitTheBudget(t *testing.T) {
	data := withProperties(t, withSize(t, fixture(t, "quad.heic"), 5712, 4284), irot(3))
	p := newProc()
	info, err := p.Inspect("IMG_0001.HEIC", data)
	if err != nil {
		t.Fatal(err)
	}
	if info.Width != 4284 || info.Height != 5712 {
		t.Fatalf("%+v", info)
	}
	r := reqs(Centre(), MainPresets()...)
	var pending []int
	for i := range r {
		pending = append(pending, i)
	}
	factor := p.decodeFactor(info, r, pending)
	for decodeCost(info, factor, 1, r, pending) > DefaultMaxDecodeBytes && factor < maxFactor {
		factor++
	}
	if cost := decodeCost(info, factor, 1, r, pending); cost > DefaultMaxDecodeBytes || factor > 3 {
		t.Fatalf("factor %d: %d MB", factor, cost>>20)
	}
	t.Logf("shrunk by %d on load: %d MB", factor, decodeCost(info, factor, 1, r, pending)>>20)
}
