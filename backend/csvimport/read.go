// Package csvimport reads posts from a spreadsheet saved as CSV (Excel,
// LibreOffice, Google Sheets, in any of their encodings and separators) and
// turns them into a plan: per row, the post it creates, or why it cannot.
// Nothing here writes; the store applies a plan in one transaction.
package csvimport

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"pauta/backend"
)

// Table is a CSV file read into cells: Header is row 1 as a spreadsheet
// shows it, Records[i] is row i+2.
type Table struct {
	Header    []string   `json:"header"`
	Records   [][]string `json:"-"`
	Encoding  string     `json:"encoding"`  // utf-8, utf-8-bom, utf-16le, utf-16be, windows-1252
	Delimiter string     `json:"delimiter"` // ";", ",", "\t"
}

// MaxFileBytes bounds what is read: a month of posts is kilobytes.
const MaxFileBytes = 50 << 20

// MaxRows bounds the records of one file.
const MaxRows = 20000

func fileErr(key, format string, args ...any) *backend.Error {
	return backend.Errorf(backend.EInvalid, key, format, args...).WithField("file")
}

// Read decodes a CSV file's bytes. A spreadsheet saved in its own format
// (XLSX, ODS, XLS) is refused with a key that tells how to save it as CSV.
func Read(data []byte) (*Table, error) {
	if len(data) > MaxFileBytes {
		return nil, fileErr("csv.too_big", "the file is larger than %d MB", MaxFileBytes>>20).WithParam("max", strconv.Itoa(MaxFileBytes>>20))
	}
	if err := sniffSpreadsheet(data); err != nil {
		return nil, err
	}
	text, enc, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	text = strings.TrimLeft(text, "\r\n")
	if strings.TrimSpace(text) == "" {
		return nil, fileErr("csv.empty", "the file is empty")
	}
	// Excel's "sep=;" first line names the separator and is not shown as a row.
	delim := rune(0)
	if first, rest, ok := strings.Cut(text, "\n"); ok && strings.HasPrefix(strings.ToLower(first), "sep=") {
		s := strings.TrimRight(first[4:], "\r")
		if r, n := utf8.DecodeRuneInString(s); n == len(s) && n > 0 {
			delim, text = r, rest
		}
	}
	if delim == 0 {
		delim = detectDelimiter(text)
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = delim
	r.FieldsPerRecord = -1
	t := &Table{Encoding: enc, Delimiter: string(delim)}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			return nil, fileErr("csv.malformed", "the file is not valid CSV near line %d (an unclosed or stray quote?)", line).WithParam("line", strconv.Itoa(line))
		}
		if t.Header == nil {
			t.Header = rec
			continue
		}
		if len(t.Records) >= MaxRows {
			return nil, fileErr("csv.too_many_rows", "the file has more than %d rows", MaxRows).WithParam("max", strconv.Itoa(MaxRows))
		}
		t.Records = append(t.Records, rec)
	}
	return t, nil
}

// sniffSpreadsheet recognises workbook files by their first bytes.
func sniffSpreadsheet(data []byte) error {
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("PK\x05\x06")):
		// ODS stores its MIME type uncompressed as the zip's first entry.
		if bytes.Contains(data[:min(len(data), 200)], []byte("application/vnd.oasis.opendocument.spreadsheet")) {
			return fileErr("csv.is_ods", "this is a LibreOffice spreadsheet (.ods), not CSV: in LibreOffice use File → Save As… → Text CSV (.csv), UTF-8")
		}
		return fileErr("csv.is_xlsx", "this is an Excel workbook (.xlsx), not CSV: in Excel use File → Save As… → CSV UTF-8 (comma delimited) (*.csv)")
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return fileErr("csv.is_xls", "this is an old Excel workbook (.xls), not CSV: in Excel use File → Save As… → CSV UTF-8 (comma delimited) (*.csv)")
	}
	return nil
}

// decodeText turns the bytes into a string: a BOM decides, else UTF-16
// without BOM is recognised by its zero bytes, else UTF-8, else Windows-1252
// (what Excel's plain "CSV" writes on Windows in Western locales).
func decodeText(data []byte) (string, string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		if !utf8.Valid(data[3:]) {
			return "", "", fileErr("csv.encoding", "the file says it is UTF-8 but is not: save it again as CSV UTF-8")
		}
		return string(data[3:]), "utf-8-bom", nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		s, err := decodeUTF16(data[2:], binary.LittleEndian)
		return s, "utf-16le", err
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		s, err := decodeUTF16(data[2:], binary.BigEndian)
		return s, "utf-16be", err
	}
	if len(data) >= 4 {
		if data[1] == 0 && data[3] == 0 && data[0] != 0 {
			s, err := decodeUTF16(data, binary.LittleEndian)
			return s, "utf-16le", err
		}
		if data[0] == 0 && data[2] == 0 && data[1] != 0 {
			s, err := decodeUTF16(data, binary.BigEndian)
			return s, "utf-16be", err
		}
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", "", fileErr("csv.binary", "this is not a text file: save the spreadsheet as CSV")
	}
	if utf8.Valid(data) {
		return string(data), "utf-8", nil
	}
	return decode1252(data), "windows-1252", nil
}

func decodeUTF16(b []byte, order binary.ByteOrder) (string, error) {
	if len(b)%2 != 0 {
		return "", fileErr("csv.encoding", "the file is cut short in the middle of a character (UTF-16): save it again")
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = order.Uint16(b[2*i:])
	}
	s := string(utf16.Decode(u))
	if strings.ContainsRune(s, utf8.RuneError) || strings.ContainsRune(s, 0) {
		return "", fileErr("csv.encoding", "the file is not valid UTF-16 text: save it again as CSV UTF-8")
	}
	return s, nil
}

// win1252 maps 0x80–0x9F; the other bytes are Latin-1.
var win1252 = [32]rune{
	'€', 0xFFFD, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0xFFFD, 'Ž', 0xFFFD,
	0xFFFD, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0xFFFD, 'ž', 'Ÿ',
}

func decode1252(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/8)
	for _, c := range b {
		switch {
		case c < 0x80:
			sb.WriteByte(c)
		case c < 0xA0:
			sb.WriteRune(win1252[c-0x80])
		default:
			sb.WriteRune(rune(c))
		}
	}
	return sb.String()
}

// detectDelimiter counts ';', ',' and tab outside quotes on the header line
// (the most regular line of any spreadsheet export) and takes the most frequent.
func detectDelimiter(text string) rune {
	counts := map[rune]int{}
	inQuote := false
	for _, r := range text {
		if r == '"' {
			inQuote = !inQuote
			continue
		}
		if inQuote {
			continue
		}
		if r == '\n' {
			break
		}
		if r == ';' || r == ',' || r == '\t' {
			counts[r]++
		}
	}
	best, n := ',', 0
	for _, r := range []rune{';', '\t', ','} {
		if counts[r] > n {
			best, n = r, counts[r]
		}
	}
	return best
}
