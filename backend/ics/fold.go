package ics

import (
	"bytes"
	"io"
)

// MaxLineOctets is the longest content line RFC 5545 §3.1 allows, CRLF excluded.
const MaxLineOctets = 75

// Folder folds the content lines written through it: before a character that
// would take a line past 75 octets it writes CRLF and a space. It folds only
// between UTF-8 sequences, never inside one (an emoji or an accented letter
// stays whole), and passes CR and LF through as line ends. It also keeps a
// TEXT escape (`\,`, `\n`) on one line: RFC 5545 allows a fold there, but a
// reader that unescapes before unfolding would misread it.
type Folder struct {
	w   io.Writer
	col int  // octets on the current physical line
	esc bool // the last byte was an escaping backslash
	buf []byte
}

// NewFolder returns a Folder writing to w.
func NewFolder(w io.Writer) *Folder { return &Folder{w: w} }

// Write folds p, which may end in the middle of a line or of a character.
func (f *Folder) Write(p []byte) (int, error) {
	// Fast path: one whole short line, as the encoder writes them.
	if n := len(p) - 2; f.col == 0 && !f.esc && n >= 0 && n <= MaxLineOctets && p[n] == '\r' && p[n+1] == '\n' &&
		bytes.IndexByte(p[:n], '\n') < 0 && bytes.IndexByte(p[:n], '\r') < 0 {
		if _, err := f.w.Write(p); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	out := f.buf[:0]
	start := 0 // p[start:i] is copied as is
	for i := 0; i < len(p); i++ {
		b := p[i]
		need := seqLen(b)
		switch {
		case b == '\n':
			f.col, f.esc = 0, false
			continue
		case b == '\r':
			continue
		case f.esc: // the escaped character: the backslash made room for it
			f.esc = false
			if b < 0x80 && f.col < MaxLineOctets {
				f.col++
				continue
			}
		case b&0xC0 == 0x80: // continuation byte: its lead already made room
			if f.col < MaxLineOctets {
				f.col++
				continue
			}
		case b == '\\':
			f.esc, need = true, 2
		}
		if f.col+need > MaxLineOctets {
			out = append(out, p[start:i]...)
			out = append(out, '\r', '\n', ' ')
			start = i
			f.col = 1
		}
		f.col++
	}
	out = append(out, p[start:]...)
	f.buf = out
	if _, err := f.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// seqLen is the length of the UTF-8 sequence that starts with b.
func seqLen(b byte) int {
	switch {
	case b < 0xC0:
		return 1
	case b < 0xE0:
		return 2
	case b < 0xF0:
		return 3
	default:
		return 4
	}
}
