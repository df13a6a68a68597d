package csvimport

import (
	"bytes"
	"encoding/csv"
	"unicode/utf8"

	"pauta/backend"
	"pauta/backend/atomicfile"
)

// WriteRejected writes the header and the rejected rows of p to path, as
// UTF-8 with a BOM (so Excel reads the accents) and the file's own
// separator. Temp file then rename: a crash leaves no half file.
func WriteRejected(path string, p *Plan) error {
	records := [][]string{p.Header}
	for _, r := range p.Rows {
		if r.Outcome == OutError {
			records = append(records, r.Cells)
		}
	}
	return writeAtomic(path, records, p.Delimiter)
}

// Encode is records as CSV bytes: UTF-8 with a BOM, CRLF, delim between cells.
func Encode(records [][]string, delim string) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	if r, n := utf8.DecodeRuneInString(delim); n > 0 && n == len(delim) {
		w.Comma = r
	}
	if err := w.WriteAll(records); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeAtomic(path string, records [][]string, delim string) error {
	data, err := Encode(records, delim)
	if err != nil {
		return err
	}
	if err := atomicfile.WriteBytes(path, 0o644, data); err != nil {
		return writeErr(path, err)
	}
	return nil
}

func writeErr(path string, err error) error {
	return backend.Errorf(backend.EUnavailable, "csv.write_failed", "cannot write %s: %v", path, err).WithParam("path", path)
}
