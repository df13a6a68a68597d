package ics

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"pauta/backend"
	"pauta/backend/atomicfile"
)

// WriteFileAtomic writes path through write: into a temporary file in the
// same folder, synced, then renamed over path. When write or any step fails
// the temporary file is removed, so no partial calendar is ever left behind
// and an existing file stays as it was.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	if atomicfile.IsDir(path) {
		return unwritable(path, errors.New("it is a folder"))
	}
	if err := atomicfile.Write(path, 0o644, write); err != nil {
		var e *backend.Error
		if errors.As(err, &e) {
			return err
		}
		return unwritable(path, err)
	}
	return nil
}

func ensureDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return unwritable(dir, err)
	}
	return nil
}

func joinPath(dir, name string) string { return filepath.Join(dir, name) }

// unwritable is the user-facing error for an output that cannot be written;
// the message names the OS reason ("permission denied").
func unwritable(path string, cause error) error {
	reason := cause.Error()
	var pe *fs.PathError
	if errors.As(cause, &pe) {
		reason = pe.Err.Error()
	}
	e := backend.Errorf(backend.EUnavailable, "ics.output_unwritable", "cannot write %s: %s", path, reason).
		WithField("output").WithParam("path", path).WithParam("reason", reason)
	return fmt.Errorf("export to %s: %w", path, e)
}

// FileNames gives each client a distinct file name, "<client-slug>.ics";
// clients whose slugs clash get their id appended.
func FileNames(clients []backend.Client) []string {
	count := map[string]int{}
	slugs := make([]string, len(clients))
	for i, c := range clients {
		slugs[i] = Slug(c.Name)
		if slugs[i] == "" {
			slugs[i] = "client-" + strconv.FormatInt(c.ID, 10)
		}
		count[slugs[i]]++
	}
	out := make([]string, len(clients))
	for i, c := range clients {
		s := slugs[i]
		if count[s] > 1 {
			s += "-" + strconv.FormatInt(c.ID, 10)
		}
		out[i] = s + ".ics"
	}
	return out
}

// Slug turns a client name into a file-name stem: lower case, accents
// dropped from Latin letters ("Panadería Sol" → "panaderia-sol"), other
// letters and digits kept, everything else a single dash.
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if unicode.Is(unicode.Mn, r) { // a combining accent (decomposed text)
			continue
		}
		if s, ok := fold(r); ok {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteString(s)
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	s := b.String()
	for len(s) > 60 { // keep names short, cut on a character boundary
		_, n := utf8.DecodeLastRuneInString(s)
		s = strings.TrimRight(s[:len(s)-n], "-")
	}
	switch s {
	case "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
		"lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9":
		s += "-client" // reserved device names on Windows
	}
	return s
}

// fold maps ASCII letters and digits to themselves and accented Latin
// letters to their base letters.
func fold(r rune) (string, bool) {
	switch {
	case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		return string(r), true
	}
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å', 'ā', 'ă', 'ą':
		return "a", true
	case 'æ':
		return "ae", true
	case 'ç', 'ć', 'č', 'ĉ', 'ċ':
		return "c", true
	case 'ď', 'đ', 'ð':
		return "d", true
	case 'è', 'é', 'ê', 'ë', 'ē', 'ė', 'ę', 'ě':
		return "e", true
	case 'ğ', 'ģ':
		return "g", true
	case 'ì', 'í', 'î', 'ï', 'ī', 'į', 'ı':
		return "i", true
	case 'ķ':
		return "k", true
	case 'ł', 'ľ', 'ļ', 'ĺ':
		return "l", true
	case 'ñ', 'ń', 'ň', 'ņ':
		return "n", true
	case 'ò', 'ó', 'ô', 'õ', 'ö', 'ø', 'ō', 'ő':
		return "o", true
	case 'œ':
		return "oe", true
	case 'ŕ', 'ř':
		return "r", true
	case 'ś', 'š', 'ş', 'ș':
		return "s", true
	case 'ß':
		return "ss", true
	case 'ť', 'ţ', 'ț':
		return "t", true
	case 'ù', 'ú', 'û', 'ü', 'ū', 'ů', 'ű', 'ų':
		return "u", true
	case 'ý', 'ÿ':
		return "y", true
	case 'ź', 'ż', 'ž':
		return "z", true
	case 'þ':
		return "th", true
	}
	return "", false
}
