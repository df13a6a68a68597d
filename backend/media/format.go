package media

import (
	"bytes"
	"encoding/binary"
	"path/filepath"
	"strings"
)

// Format is an image file type, named by its content, never by its file name.
type Format string

const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	GIF  Format = "gif"
	WebP Format = "webp"
	HEIC Format = "heic" // HEIF with HEVC: iPhone photos
	AVIF Format = "avif"
	// Recognised only to be refused with a precise message.
	BMP     Format = "bmp"
	TIFF    Format = "tiff"
	Unknown Format = "unknown"
)

// Ext is the file extension Pauta writes for outputs in this format.
func (f Format) Ext() string {
	switch f {
	case JPEG:
		return ".jpg"
	case PNG:
		return ".png"
	case GIF:
		return ".gif"
	case WebP:
		return ".webp"
	case HEIC:
		return ".heic"
	case AVIF:
		return ".avif"
	case BMP:
		return ".bmp"
	case TIFF:
		return ".tif"
	}
	return ""
}

// MIME is the media type to send when uploading a file of this format.
func (f Format) MIME() string {
	switch f {
	case JPEG:
		return "image/jpeg"
	case PNG:
		return "image/png"
	case GIF:
		return "image/gif"
	case WebP:
		return "image/webp"
	case HEIC:
		return "image/heic"
	case AVIF:
		return "image/avif"
	}
	return "application/octet-stream"
}

// decodable reports whether Pauta can read this format.
func (f Format) decodable() bool {
	return f == JPEG || f == PNG || f == GIF || f == WebP || f == HEIC || f == AVIF
}

// DetectFormat names data's real type from its magic bytes.
func DetectFormat(data []byte) Format {
	switch {
	case len(data) >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF:
		return JPEG
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return PNG
	case bytes.HasPrefix(data, []byte("GIF87a")) || bytes.HasPrefix(data, []byte("GIF89a")):
		return GIF
	case len(data) >= 12 && string(data[0:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return WebP
	case len(data) >= 2 && string(data[0:2]) == "BM":
		return BMP
	case bytes.HasPrefix(data, []byte("II*\x00")) || bytes.HasPrefix(data, []byte("MM\x00*")):
		return TIFF
	case len(data) >= 12 && string(data[4:8]) == "ftyp":
		return isoBrand(data)
	}
	return Unknown
}

// isoBrand tells HEIC/HEIF from AVIF by the ISO-BMFF ftyp box's major and
// compatible brands (iPhones write "heic"; "mif1" is the generic HEIF brand).
func isoBrand(data []byte) Format {
	size := int(binary.BigEndian.Uint32(data[0:4]))
	if size < 16 || size > len(data) {
		size = min(len(data), 64)
	}
	heif := false
	// Major brand at 8; minor version at 12; compatible brands from 16.
	brands := []string{string(data[8:12])}
	for i := 16; i+4 <= size; i += 4 {
		brands = append(brands, string(data[i:i+4]))
	}
	for _, b := range brands {
		switch b {
		case "avif", "avis":
			return AVIF
		case "heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs", "mif1", "msf1", "mif2":
			heif = true
		}
	}
	if heif {
		return HEIC
	}
	return Unknown
}

// extFormat maps a file name's extension to the format it claims, or ""
// when the extension says nothing we can check.
func extFormat(name string) Format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jpg", ".jpeg", ".jpe", ".jfif":
		return JPEG
	case ".png":
		return PNG
	case ".gif":
		return GIF
	case ".webp":
		return WebP
	case ".heic", ".heif", ".hif":
		return HEIC
	case ".avif":
		return AVIF
	case ".bmp":
		return BMP
	case ".tif", ".tiff":
		return TIFF
	}
	return ""
}

// gifFrames counts a GIF's image descriptors by walking its blocks without
// decoding any pixels; it stops at 2, which is all Pauta needs to know.
// A malformed stream returns what was counted so far.
func gifFrames(data []byte) int {
	if len(data) < 13 {
		return 0
	}
	i := 13
	if data[10]&0x80 != 0 { // global colour table
		i += 3 << (data[10]&7 + 1)
	}
	skipSubBlocks := func(i int) int {
		for i < len(data) {
			n := int(data[i])
			i++
			if n == 0 {
				return i
			}
			i += n
		}
		return len(data)
	}
	frames := 0
	for i < len(data) && frames < 2 {
		switch data[i] {
		case 0x21: // extension: label, then sub-blocks
			i = skipSubBlocks(i + 2)
		case 0x2C: // image descriptor
			frames++
			if i+10 > len(data) {
				return frames
			}
			flags := data[i+9]
			i += 10
			if flags&0x80 != 0 { // local colour table
				i += 3 << (flags&7 + 1)
			}
			i = skipSubBlocks(i + 1) // LZW minimum code size, then data
		default: // 0x3B trailer, or garbage
			return frames
		}
	}
	return frames
}
