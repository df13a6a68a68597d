package mediatest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
)

// FlatPNG writes a w×h PNG of the given bit depth (8 or 16) and colour type
// (0 grey, 2 RGB, 6 RGBA) row by row, without ever holding the decoded
// image: a mostly flat picture (a soft band every 64 rows) that compresses
// to about 1 MB at 10000×10000 16-bit RGB, the shape of a decompression bomb.
func FlatPNG(w, h, depth, colorType int) []byte {
	channels := map[int]int{0: 1, 2: 3, 6: 4}[colorType]
	if channels == 0 || (depth != 8 && depth != 16) {
		panic("FlatPNG: unsupported format")
	}
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&out, binary.BigEndian, uint32(len(data)))
		c := crc32.NewIEEE()
		c.Write([]byte(typ))
		c.Write(data)
		out.WriteString(typ)
		out.Write(data)
		binary.Write(&out, binary.BigEndian, c.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = byte(depth), byte(colorType)
	chunk("IHDR", ihdr)

	var idat bytes.Buffer
	z, _ := zlib.NewWriterLevel(&idat, zlib.BestSpeed)
	bpp := channels * depth / 8
	row := make([]byte, 1+w*bpp)
	for y := range h {
		v := byte(0x40 + (y/64)%4*0x20) // the same byte in every sample of the row
		for i := 1; i < len(row); i++ {
			row[i] = v
		}
		if colorType == 6 {
			for x := range w {
				for k := range depth / 8 {
					row[1+x*bpp+(channels-1)*depth/8+k] = 0xFF // opaque
				}
			}
		}
		z.Write(row)
	}
	z.Close()
	chunk("IDAT", idat.Bytes())
	chunk("IEND", nil)
	return out.Bytes()
}
