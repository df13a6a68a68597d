package report

import (
	"fmt"
	"strings"
	"time"
)

func (d *pdfDoc) said() {
	d.section("said", 30)
	s := d.r.Said
	if !s.Available {
		d.gray()
		d.MultiCell(contentW, 5, d.t(ReasonNoInbox), "", "L", false)
		d.ink()
		return
	}
	d.SetFont(font, "B", 9)
	d.CellFormat(contentW, 5, d.t("conversations"), "", 1, "L", false, 0, "")
	d.SetFont(font, "", 9)
	d.MultiCell(contentW, 5, d.countLine(s.Conversations, true), "", "L", false)
	d.SetFont(font, "B", 9)
	d.CellFormat(contentW, 5, d.t("tags"), "", 1, "L", false, 0, "")
	d.SetFont(font, "", 9)
	d.MultiCell(contentW, 5, d.countLine(s.Tags, false), "", "L", false)
	d.SetFont(font, "B", 9)
	d.CellFormat(contentW, 5, d.t("response"), "", 1, "L", false, 0, "")
	d.SetFont(font, "", 9)
	if s.MedianMinutes == nil {
		d.MultiCell(contentW, 5, "— "+d.t(s.ResponseReason), "", "L", false)
	} else {
		d.MultiCell(contentW, 5, fmt.Sprintf(d.t("median_p90"), Num(d.lang, *s.MedianMinutes, 0), Num(d.lang, *s.P90Minutes, 0), s.Answered, s.Unanswered), "", "L", false)
	}
	if len(s.Quotes) > 0 {
		d.SetFont(font, "B", 9)
		d.CellFormat(contentW, 5, d.t("quotes_pinned"), "", 1, "L", false, 0, "")
		for _, q := range s.Quotes {
			d.SetFont(font, "I", 9)
			d.MultiCell(contentW, 4.6, "“"+d.clean(q.Text)+"”", "", "L", false)
			d.SetFont(font, "", 7.5)
			d.gray()
			d.CellFormat(contentW, 4, d.clean("— "+q.Author+" · "+NetworkName(q.Network)+" · "+d.when(q.At)), "", 1, "L", false, 0, "")
			d.ink()
		}
	}
	d.SetFont(font, "B", 9)
	d.CellFormat(contentW, 6, d.t("crisis"), "", 1, "L", false, 0, "")
	if len(s.Crisis) == 0 {
		d.SetFont(font, "", 9)
		d.CellFormat(contentW, 5, d.t("none"), "", 1, "L", false, 0, "")
		return
	}
	w := []float64{26, 26, 34, 54, 40}
	d.row(w, "LLLLL", []string{d.t("arrived"), d.t("answered"), "", d.t("post"), d.t("note")}, true)
	for _, c := range s.Crisis {
		replied := "—"
		if c.RepliedAt != nil {
			replied = d.when(*c.RepliedAt)
		}
		text := c.Text
		if len(c.Alert) > 0 {
			text = "[" + strings.Join(c.Alert, ", ") + "] " + text
		}
		d.row(w, "LLLLL", []string{d.when(c.ArrivedAt), replied, c.Author, text, c.Note}, false)
	}
}

func (d *pdfDoc) when(t time.Time) string {
	return t.In(zone(d.r.Client.TimeZone)).Format("02/01 15:04")
}

func (d *pdfDoc) countLine(cs []Count, networks bool) string {
	if len(cs) == 0 {
		return d.t("none")
	}
	parts := make([]string, len(cs))
	for i, c := range cs {
		k := c.Key
		if networks {
			k = NetworkName(networkOf(k))
		}
		parts[i] = fmt.Sprintf("%s: %d", k, c.Count)
	}
	return d.clean(strings.Join(parts, " · "))
}

func (d *pdfDoc) texts() {
	for _, part := range []struct{ key, text string }{{"summary", d.r.Text.Summary}, {"plan", d.r.Text.Plan}} {
		if strings.TrimSpace(part.text) == "" {
			continue
		}
		d.section(part.key, 15)
		d.SetFont(font, "", 10)
		d.MultiCell(contentW, 5, d.clean(part.text), "", "L", false)
	}
}
