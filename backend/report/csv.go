package report

import (
	"encoding/csv"
	"io"
	"strconv"

	"pauta/backend"
)

// CSVOptions choose the file's shape: Separator ';' with a UTF-8 BOM suits
// Spanish and Italian Excel, ',' English; 0 picks by the client's language.
type CSVOptions struct {
	Separator rune
	BOM       *bool // nil: with a BOM when the separator is ';'
}

// CSVSeparator is the default separator for a language.
func CSVSeparator(lang string) rune {
	if Lang(lang) == "en" {
		return ','
	}
	return ';'
}

// WriteCSV writes every post of the report, with its figures, atomically.
func WriteCSV(path string, r *Report, o CSVOptions) error {
	return writeAtomic(path, func(w io.Writer) error { return RenderCSV(w, r.Client.Language, r.Posts, o) })
}

// RenderCSV writes one row per published post: figures as numbers (empty
// where there are none, with the reason in its own column).
func RenderCSV(w io.Writer, lang string, posts []PostRow, o CSVOptions) error {
	sep := o.Separator
	if sep == 0 {
		sep = CSVSeparator(lang)
	}
	bom := sep == ';'
	if o.BOM != nil {
		bom = *o.BOM
	}
	if bom {
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(w)
	cw.Comma = sep
	cw.UseCRLF = true
	t := func(k string) string { return T(lang, k) }
	head := []string{t("csv_date"), t("csv_time"), t("csv_network"), t("csv_account"), t("csv_text"), t("csv_url"), t("likes"), t("replies"),
		t("reposts"), t("quotes"), t("reach"), t("saves"), t("csv_interactions"), t("csv_source"), t("csv_missing")}
	if err := cw.Write(head); err != nil {
		return err
	}
	rec := make([]string, len(head))
	for _, p := range posts {
		rec[0], rec[1] = p.LocalTime[:10], p.LocalTime[11:]
		rec[2], rec[3], rec[4], rec[5] = NetworkName(p.Network), p.Handle, p.Text, p.URL
		for i := 6; i < len(rec); i++ {
			rec[i] = ""
		}
		if f := p.Figures; f != nil {
			rec[6], rec[7], rec[8], rec[9] = strconv.Itoa(f.Likes), strconv.Itoa(f.Replies), strconv.Itoa(f.Reposts), strconv.Itoa(f.Quotes)
			rec[10], rec[11] = optInt(f.Reach), optInt(f.Saves)
			rec[12] = strconv.Itoa(p.Interactions)
			rec[13] = t("source_network")
			if f.Source == backend.SourceManual {
				rec[13] = t("source_manual")
			}
		}
		if p.Reason != "" {
			rec[14] = t(p.Reason)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func optInt(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}
