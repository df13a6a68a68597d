// Package figimport reads a network's own export of post insights (Meta
// Business Suite for Instagram and Facebook, LinkedIn page posts, or any
// spreadsheet with the same headers), matches each row to a published Pauta
// post of one account, by its link or else by its time, and plans the
// figures to store as entered by hand. Nothing here writes: the store
// applies a plan in one transaction.
package figimport

import (
	"strings"

	"pauta/backend/csvimport"
)

// Field is what a column of an insights export holds.
type Field string

const (
	FLink     Field = "link"     // the post's permalink
	FTime     Field = "time"     // when it was published
	FLikes    Field = "likes"    // likes / reactions
	FComments Field = "comments" // comments
	FShares   Field = "shares"   // shares / reposts
	FReach    Field = "reach"    // reach (impressions when there is no reach)
	FSaves    Field = "saves"    // saves
)

// figureFields are the columns that carry numbers, in display order.
var figureFields = []Field{FLikes, FComments, FShares, FReach, FSaves}

// headers are the export headers recognised per field, folded (lower case,
// no accents, single spaces), best first: when a file has two columns for a
// field (Instagram's "Likes" and Facebook's "Reactions"), the earlier name
// wins. Names are those of Meta Business Suite's and LinkedIn's exports in
// English, Spanish and Italian, and the plain words a hand-made sheet uses.
var headers = map[Field][]string{
	FLink: {"permalink", "post link", "post url", "link", "url", "enlace permanente", "enlace", "link permanente", "link del post",
		"enlace de la publicacion"},
	FTime: {"publish time", "published time", "published", "created date", "date created", "post date", "posted", "date", "time",
		"hora de publicacion", "fecha de publicacion", "fecha de creacion", "fecha", "orario di pubblicazione", "data di pubblicazione",
		"data di creazione", "data"},
	FLikes:    {"likes", "reactions", "me gusta", "reacciones", "mi piace", "reazioni"},
	FComments: {"comments", "comentarios", "commenti"},
	FShares:   {"shares", "reposts", "veces compartido", "compartidos", "compartido", "condivisioni", "diffusioni"},
	FReach:    {"reach", "alcance", "copertura", "impressions", "impresiones", "impressioni", "visualizzazioni"},
	FSaves:    {"saves", "guardados", "veces guardado", "salvataggi", "elementi salvati"},
}

// fold is csvimport's header rule: "Publish_time" and "publish time" are one name.
func fold(s string) string { return csvimport.FoldHeader(s) }

// Column is one header of the file and what it is read as ("" = not read).
type Column struct {
	Header string `json:"header"`
	Field  Field  `json:"field"`
}

// mapColumns picks, per field, the column with the best-ranked header.
func mapColumns(header []string) (map[Field]int, []Column) {
	at := map[Field]int{}
	rank := map[Field]int{}
	for i, h := range header {
		f := fold(h)
		for field, names := range headers {
			for r, name := range names {
				if f == name {
					if old, ok := rank[field]; !ok || r < old {
						at[field], rank[field] = i, r
					}
				}
			}
		}
	}
	cols := make([]Column, len(header))
	for i, h := range header {
		cols[i] = Column{Header: strings.TrimSpace(h)}
	}
	for f, i := range at {
		cols[i].Field = f
	}
	return at, cols
}

// hasFigures reports whether a mapping found at least one number column.
func hasFigures(at map[Field]int) bool {
	for _, f := range figureFields {
		if _, ok := at[f]; ok {
			return true
		}
	}
	return false
}
