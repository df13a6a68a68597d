package csvimport

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"pauta/backend"

	"golang.org/x/text/unicode/norm"
)

// Field is what a column holds.
type Field string

const (
	FDate         Field = "date"
	FTime         Field = "time"
	FAccount      Field = "account"
	FText         Field = "text"
	FFirstComment Field = "first_comment"
	FLabels       Field = "labels"
	FMedia        Field = "media"
	FAlt          Field = "alt"
	FStatus       Field = "status"
	FTimeZone     Field = "timezone"
)

// Fields lists the columns in the order an export writes them.
var Fields = []Field{FDate, FTime, FTimeZone, FAccount, FStatus, FText, FFirstComment, FLabels, FMedia, FAlt}

// headerNames are the accepted names per field after fold (es, it, en).
var headerNames = map[string]Field{
	"date": FDate, "fecha": FDate, "data": FDate, "day": FDate, "dia": FDate, "giorno": FDate,
	"time": FTime, "hora": FTime, "ora": FTime, "orario": FTime,
	"account": FAccount, "accounts": FAccount, "cuenta": FAccount, "cuentas": FAccount,
	"text": FText, "texto": FText, "testo": FText,
	"first comment": FFirstComment, "primer comentario": FFirstComment, "primo commento": FFirstComment,
	"labels": FLabels, "label": FLabels, "etiquetas": FLabels, "etiqueta": FLabels, "etichette": FLabels, "etichetta": FLabels,
	"media": FMedia, "images": FMedia, "imagenes": FMedia, "immagini": FMedia,
	"alt": FAlt, "alt text": FAlt, "texto alternativo": FAlt, "testo alternativo": FAlt,
	"status": FStatus, "estado": FStatus, "stato": FStatus,
	"timezone": FTimeZone, "time zone": FTimeZone, "zona horaria": FTimeZone, "fuso orario": FTimeZone,
}

// textPrefixes start a per-network text column: "text_bluesky", "texto x".
var textPrefixes = []string{"text ", "texto ", "testo "}

// commentPrefixes start a per-network first comment column:
// "first_comment_instagram", "primer comentario linkedin".
var commentPrefixes = []string{"first comment ", "primer comentario ", "primo commento "}

// fold lower-cases, drops accents and turns '_', '-' and runs of spaces
// into one space: "Primer_Comentario" and "primer comentario" are one name.
func fold(s string) string { return FoldHeader(s) }

// FoldHeader is how a spreadsheet header is compared: lower case, no
// accents, '_', '-' and runs of spaces as one space, a leading BOM dropped
// (the figures import reads network exports with the same rule).
func FoldHeader(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff"))) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if r == '_' || r == '-' || unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// networkNames maps folded names to networks ("google business", "twitter").
func networkByName(s string) (backend.Network, bool) {
	f := fold(s)
	switch f {
	case "twitter":
		return backend.X, true
	case "google business", "google", "gbp", "google business profile":
		return backend.GoogleBusiness, true
	}
	for _, n := range backend.Networks {
		if fold(string(n)) == f {
			return n, true
		}
	}
	return "", false
}

// Columns is where each field is in a file's header.
type Columns struct {
	idx      map[Field]int
	variants map[backend.Network]int
	comments map[backend.Network]int // first_comment_<network>
	names    []string                // as written, for messages
}

func (c *Columns) has(f Field) bool { _, ok := c.idx[f]; return ok }

func (c *Columns) get(rec []string, f Field) string {
	i, ok := c.idx[f]
	if !ok || i >= len(rec) {
		return ""
	}
	return rec[i]
}

func (c *Columns) name(f Field) string {
	if i, ok := c.idx[f]; ok {
		return c.names[i]
	}
	return string(f)
}

// mapHeader finds the fields in header. Unknown columns are reported as
// warnings (ignored); a field named twice, or a missing text or account
// column, is an error for the whole file.
func mapHeader(header []string) (*Columns, []Issue, error) {
	c := &Columns{idx: map[Field]int{}, variants: map[backend.Network]int{}, comments: map[backend.Network]int{}, names: header}
	var warns []Issue
	for i, h := range header {
		f := fold(h)
		if f == "" {
			continue
		}
		if fl, ok := headerNames[f]; ok {
			if _, dup := c.idx[fl]; dup {
				return nil, nil, fileErr("csv.column_twice", "the column %q appears twice", h).WithParam("column", h)
			}
			c.idx[fl] = i
			continue
		}
		matched := false
		for _, set := range []struct {
			prefixes []string
			cols     map[backend.Network]int
		}{{textPrefixes, c.variants}, {commentPrefixes, c.comments}} {
			for _, p := range set.prefixes {
				if rest, ok := strings.CutPrefix(f, p); ok {
					if n, ok := networkByName(rest); ok {
						if _, dup := set.cols[n]; dup {
							return nil, nil, fileErr("csv.column_twice", "the column %q appears twice", h).WithParam("column", h)
						}
						set.cols[n] = i
						matched = true
					}
				}
			}
		}
		if !matched {
			warns = append(warns, issue(h, "csv.column_unknown", "column %q is not known and is ignored", h).with("column", h))
		}
	}
	for _, f := range []Field{FAccount, FText} {
		if !c.has(f) && !(f == FText && len(c.variants) > 0) {
			return nil, nil, fileErr("csv.column_missing", "the file has no %q column (the header row must name the columns)", string(f)).WithParam("column", string(f))
		}
	}
	if !c.has(FDate) && !c.has(FStatus) {
		return nil, nil, fileErr("csv.column_missing", "the file has no %q column (the header row must name the columns)", string(FDate)).WithParam("column", string(FDate))
	}
	return c, warns, nil
}

// Issue is an error or a warning about one row's column ("" = the whole row).
// Key and Params pick the translated message; Message is English, for the
// command line and logs.
type Issue struct {
	Column  string            `json:"column"`
	Key     string            `json:"key"`
	Params  map[string]string `json:"params"`
	Message string            `json:"message"`
}

func issue(column, key, format string, args ...any) Issue {
	return Issue{Column: column, Key: key, Params: map[string]string{}, Message: fmt.Sprintf(format, args...)}
}

func (i Issue) with(k, v string) Issue { i.Params[k] = v; return i }

func (i Issue) withInt(k string, v int) Issue { return i.with(k, strconv.Itoa(v)) }

// IsMediaColumn reports whether a header names the media column.
func IsMediaColumn(h string) bool { return headerNames[fold(h)] == FMedia }
