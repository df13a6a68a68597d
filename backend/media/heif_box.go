package media

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// heifHeader is what Pauta reads from a HEIF or AVIF file's boxes
// (ISO/IEC 23008-12 on ISO-BMFF) before any decoder sees it: the primary
// image's size and transformations, so the limits apply before decoding.
type heifHeader struct {
	width, height int    // the primary image's ispe: stored, before irot/imir
	itemType      string // "hvc1", "av01" or "grid"
	tiles         int    // a grid's tiles (dimg references); 0 otherwise
	orientation   int    // irot/imir as the EXIF orientation they amount to
	depth         int    // bits per channel (pixi), 8 when absent
	alpha         bool   // an auxiliary alpha image is attached
	animated      bool   // an image sequence (AVIF "avis", a moov box)
	truncated     bool   // a top-level box (the pixels' mdat) runs past the end
}

// errNoImage: the boxes parse but name no primary image Pauta can read.
var errNoImage = errors.New("no primary image")

// box is one ISO-BMFF box: its type and its payload.
type box struct {
	typ  string
	body []byte
}

// boxes splits data into its top-level boxes. A box running past the end
// answers io.ErrUnexpectedEOF (a truncated file).
func boxes(data []byte) ([]box, error) {
	var out []box
	for len(data) > 0 {
		if len(data) < 8 {
			return out, io.ErrUnexpectedEOF
		}
		size := uint64(binary.BigEndian.Uint32(data))
		typ := string(data[4:8])
		hdr := uint64(8)
		switch size {
		case 0: // to the end
			size = uint64(len(data))
		case 1: // 64-bit size
			if len(data) < 16 {
				return out, io.ErrUnexpectedEOF
			}
			size, hdr = binary.BigEndian.Uint64(data[8:]), 16
		}
		if size < hdr {
			return out, fmt.Errorf("box %q: size %d", typ, size)
		}
		if size > uint64(len(data)) {
			return out, fmt.Errorf("box %q: %w", typ, io.ErrUnexpectedEOF)
		}
		out = append(out, box{typ, data[hdr:size]})
		data = data[size:]
	}
	return out, nil
}

func find(bs []box, typ string) (box, bool) {
	for _, b := range bs {
		if b.typ == typ {
			return b, true
		}
	}
	return box{}, false
}

// reader reads big-endian fields from a box body, remembering a short read.
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) n(k int) uint32 {
	if len(r.b) < k {
		r.bad, r.b = true, nil
		return 0
	}
	var v uint32
	for _, c := range r.b[:k] {
		v = v<<8 | uint32(c)
	}
	r.b = r.b[k:]
	return v
}

// id reads an item ID: 16 bits, or 32 when wide.
func (r *reader) id(wide bool) uint32 {
	if wide {
		return r.n(4)
	}
	return r.n(2)
}

// readHEIF parses the ftyp and meta boxes. Item data (mdat, idat) is not
// read: a file cut inside its pixels parses, and its decode fails later.
func readHEIF(data []byte) (heifHeader, error) {
	h := heifHeader{depth: 8, orientation: 1}
	top, err := boxes(data)
	if _, ok := find(top, "meta"); !ok && err != nil {
		return h, err
	}
	h.truncated = errors.Is(err, io.ErrUnexpectedEOF)
	if ftyp, ok := find(top, "ftyp"); ok && len(ftyp.body) >= 4 && string(ftyp.body[:4]) == "avis" {
		h.animated = true
	}
	if _, ok := find(top, "moov"); ok {
		h.animated = true
	}
	meta, ok := find(top, "meta")
	if !ok || len(meta.body) < 4 {
		return h, errNoImage
	}
	mb, err := boxes(meta.body[4:]) // FullBox: version and flags first
	if err != nil {
		return h, err
	}
	primary, err := readPitm(mb)
	if err != nil {
		return h, err
	}
	if h.itemType, err = itemType(mb, primary); err != nil {
		return h, err
	}
	refs := readIref(mb)
	for _, r := range refs {
		if r.typ == "dimg" && r.from == primary {
			h.tiles += len(r.to)
		}
		if r.typ == "auxl" && len(r.to) == 1 && r.to[0] == primary {
			h.alpha = true // an auxiliary image of the primary: alpha or depth
		}
	}
	props, assoc, err := readIprp(mb)
	if err != nil {
		return h, err
	}
	for _, i := range assoc[primary] {
		if i == 0 || i > len(props) {
			continue
		}
		p := props[i-1]
		switch p.typ {
		case "ispe":
			r := reader{b: p.body}
			r.n(4) // version, flags
			h.width, h.height = int(r.n(4)), int(r.n(4))
			if r.bad {
				return h, fmt.Errorf("ispe: %w", io.ErrUnexpectedEOF)
			}
		case "irot":
			if len(p.body) >= 1 {
				h.orientation = compose(h.orientation, [4]int{1, 8, 3, 6}[p.body[0]&3])
			}
		case "imir":
			if len(p.body) >= 1 {
				h.orientation = compose(h.orientation, [2]int{2, 4}[p.body[0]&1])
			}
		case "pixi":
			if len(p.body) >= 6 {
				h.depth = int(p.body[5])
			}
		}
	}
	if h.width <= 0 || h.height <= 0 {
		return h, fmt.Errorf("%w: no size (ispe)", errNoImage)
	}
	return h, nil
}

func readPitm(mb []box) (uint32, error) {
	b, ok := find(mb, "pitm")
	if !ok || len(b.body) < 4 {
		return 0, fmt.Errorf("%w: no pitm", errNoImage)
	}
	r := reader{b: b.body}
	v := r.n(1)
	r.n(3)
	id := r.id(v >= 1)
	if r.bad {
		return 0, fmt.Errorf("pitm: %w", io.ErrUnexpectedEOF)
	}
	return id, nil
}

// itemType finds the primary item's type in iinf's infe boxes.
func itemType(mb []box, id uint32) (string, error) {
	b, ok := find(mb, "iinf")
	if !ok || len(b.body) < 6 {
		return "", fmt.Errorf("%w: no iinf", errNoImage)
	}
	skip := 6 // version, flags, entry count (16 bits in version 0)
	if b.body[0] >= 1 {
		skip = 8
	}
	if len(b.body) < skip {
		return "", io.ErrUnexpectedEOF
	}
	entries, err := boxes(b.body[skip:])
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		if e.typ != "infe" {
			continue
		}
		r := reader{b: e.body}
		v := r.n(1)
		r.n(3)
		if v < 2 { // versions 0 and 1 name no item type
			continue
		}
		item := r.id(v >= 3)
		r.n(2) // protection index
		typ := r.n(4)
		if !r.bad && item == id {
			return string(binary.BigEndian.AppendUint32(nil, typ)), nil
		}
	}
	return "", fmt.Errorf("%w: item %d not in iinf", errNoImage, id)
}

type itemRef struct {
	typ  string
	from uint32
	to   []uint32
}

func readIref(mb []box) []itemRef {
	b, ok := find(mb, "iref")
	if !ok || len(b.body) < 4 {
		return nil
	}
	wide := b.body[0] >= 1
	refs, _ := boxes(b.body[4:])
	var out []itemRef
	for _, ref := range refs {
		r := reader{b: ref.body}
		x := itemRef{typ: ref.typ, from: r.id(wide)}
		n := int(r.n(2))
		for k := 0; k < n && !r.bad; k++ {
			x.to = append(x.to, r.id(wide))
		}
		if !r.bad {
			out = append(out, x)
		}
	}
	return out
}

// readIprp returns ipco's properties and ipma's associations: for each
// item the 1-based indexes of its properties, in order.
func readIprp(mb []box) ([]box, map[uint32][]int, error) {
	b, ok := find(mb, "iprp")
	if !ok {
		return nil, nil, fmt.Errorf("%w: no iprp", errNoImage)
	}
	ib, err := boxes(b.body)
	if err != nil {
		return nil, nil, err
	}
	ipco, ok1 := find(ib, "ipco")
	ipma, ok2 := find(ib, "ipma")
	if !ok1 || !ok2 {
		return nil, nil, fmt.Errorf("%w: no ipco/ipma", errNoImage)
	}
	props, err := boxes(ipco.body)
	if err != nil {
		return nil, nil, err
	}
	r := reader{b: ipma.body}
	v := r.n(1)
	flags := r.n(3)
	n := r.n(4)
	assoc := map[uint32][]int{}
	for k := uint32(0); k < n && !r.bad; k++ {
		item := r.id(v >= 1)
		count := int(r.n(1))
		for range count {
			if flags&1 != 0 {
				assoc[item] = append(assoc[item], int(r.n(2)&0x7FFF))
			} else {
				assoc[item] = append(assoc[item], int(r.n(1)&0x7F))
			}
		}
	}
	if r.bad {
		return nil, nil, fmt.Errorf("ipma: %w", io.ErrUnexpectedEOF)
	}
	return props, assoc, nil
}

// EXIF orientations as 2×2 matrices on (x, y), y pointing down: what the
// stored image goes through to be shown upright.
var orientMatrix = [9][4]int{
	1: {1, 0, 0, 1}, 2: {-1, 0, 0, 1}, 3: {-1, 0, 0, -1}, 4: {1, 0, 0, -1},
	5: {0, 1, 1, 0}, 6: {0, -1, 1, 0}, 7: {0, -1, -1, 0}, 8: {0, 1, -1, 0},
}

// compose returns the orientation of a then b (HEIF applies its
// transformation properties in the order ipma lists them).
func compose(a, b int) int {
	x, y := orientMatrix[a], orientMatrix[b]
	m := [4]int{
		y[0]*x[0] + y[1]*x[2], y[0]*x[1] + y[1]*x[3],
		y[2]*x[0] + y[3]*x[2], y[2]*x[1] + y[3]*x[3],
	}
	for o := 1; o <= 8; o++ {
		if orientMatrix[o] == m {
			return o
		}
	}
	return 1
}

// heifFormat names a HEIF file by its primary image's codec when it says
// one (a generic "mif1" file may hold AV1), else by its brands.
func heifFormat(brand Format, itemType string) Format {
	switch itemType {
	case "hvc1":
		return HEIC
	case "av01":
		return AVIF
	case "", "grid":
		return brand
	}
	return Unknown // JPEG or uncompressed HEIF, not decoded
}
