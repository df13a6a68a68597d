package report

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// PDFOptions are what the PDF needs beyond the report.
type PDFOptions struct {
	Author string    // the user's name from Settings ("" = none)
	Now    time.Time // creation date written in the file
	// Thumb returns a small JPEG of a library image for the top posts
	// table; nil, or ok false (a file missing from the library), draws none.
	Thumb func(mediaID int64) (jpeg []byte, ok bool)
}

// WritePDF writes the report to path atomically.
func WritePDF(path string, r *Report, o PDFOptions) error {
	return writeAtomic(path, func(w io.Writer) error { return RenderPDF(w, r, o) })
}

const (
	pageW, margin = 210.0, 15.0
	contentW      = pageW - 2*margin
	font          = "go"
)

type pdfDoc struct {
	*fpdf.Fpdf
	r       *Report
	lang    string
	color   [3]int
	glyphs  *glyphs
	bottomY float64
	thumb   func(int64) ([]byte, bool)
}

// RenderPDF draws the report: A4, the client's colour and name, vector
// charts, page numbers, in the client's content language.
func RenderPDF(w io.Writer, r *Report, o PDFOptions) error {
	d := &pdfDoc{Fpdf: fpdf.New("P", "mm", "A4", ""), r: r, lang: Lang(r.Client.Language), color: hexColor(r.Client.Color), glyphs: newGlyphs(), thumb: o.Thumb}
	d.AddUTF8FontFromBytes(font, "", goregular.TTF)
	d.AddUTF8FontFromBytes(font, "B", gobold.TTF)
	d.AddUTF8FontFromBytes(font, "I", goitalic.TTF)
	d.SetMargins(margin, margin, margin)
	d.SetAutoPageBreak(true, 18)
	d.bottomY = 297 - 18
	d.AliasNbPages("{nb}")
	title := d.title()
	d.SetTitle(d.clean(title+" · "+r.Client.Name+" · "+PeriodLabel(d.lang, r.Period)), true)
	if o.Author != "" {
		d.SetAuthor(d.clean(o.Author), true)
	}
	d.SetCreator("Pauta", true)
	if !o.Now.IsZero() {
		d.SetCreationDate(o.Now)
	}
	d.SetFooterFunc(func() {
		d.SetY(-12)
		d.SetFont(font, "", 8)
		d.SetTextColor(110, 110, 120)
		d.CellFormat(contentW/2, 5, d.clean(r.Client.Name), "", 0, "L", false, 0, "")
		d.CellFormat(contentW/2, 5, fmt.Sprintf(T(d.lang, "page"), d.PageNo(), "{nb}"), "", 0, "R", false, 0, "")
	})
	d.AddPage()
	d.header(title, o.Author)
	d.totals()
	d.dailyChart()
	d.followersChart()
	d.topPosts()
	d.networks()
	d.best()
	d.objectives()
	d.said()
	d.texts()
	if err := d.Error(); err != nil {
		return err
	}
	return d.Output(w)
}

func (d *pdfDoc) title() string {
	if d.r.Period.Month != "" {
		return T(d.lang, "title")
	}
	return T(d.lang, "title_range")
}

func (d *pdfDoc) t(key string) string { return T(d.lang, key) }

func (d *pdfDoc) clean(s string) string { return d.glyphs.clean(s) }

func (d *pdfDoc) header(title, author string) {
	c := d.color
	d.SetFillColor(c[0], c[1], c[2])
	d.Rect(0, 0, pageW, 34, "F")
	if luminance(c) > 0.55 {
		d.SetTextColor(20, 20, 30)
	} else {
		d.SetTextColor(255, 255, 255)
	}
	d.SetXY(margin, 8)
	d.SetFont(font, "B", 20)
	d.CellFormat(contentW, 9, d.clean(d.r.Client.Name), "", 1, "L", false, 0, "")
	d.SetFont(font, "", 12)
	d.CellFormat(contentW, 7, d.clean(title+" · "+PeriodLabel(d.lang, d.r.Period)), "", 1, "L", false, 0, "")
	if author != "" {
		d.SetFont(font, "", 9)
		d.CellFormat(contentW, 5, d.clean(d.t("prepared_by")+": "+author), "", 1, "L", false, 0, "")
	}
	d.SetTextColor(20, 20, 30)
	d.SetY(40)
}

// section starts a titled block, on a new page when less than need mm are left.
func (d *pdfDoc) section(key string, need float64) {
	if d.GetY()+need+10 > d.bottomY {
		d.AddPage()
	}
	d.Ln(3)
	d.SetFont(font, "B", 12)
	d.SetTextColor(d.color[0], d.color[1], d.color[2])
	if luminance(d.color) > 0.7 {
		d.SetTextColor(20, 20, 30)
	}
	d.CellFormat(contentW, 7, d.t(key), "", 1, "L", false, 0, "")
	d.SetTextColor(20, 20, 30)
	d.SetFont(font, "", 9)
}

func (d *pdfDoc) gray() { d.SetTextColor(110, 110, 120) }
func (d *pdfDoc) ink()  { d.SetTextColor(20, 20, 30) }

func (d *pdfDoc) totals() {
	d.section("totals", 30)
	y := d.GetY()
	bw := (contentW - 9) / 4
	for i, m := range d.r.Totals {
		x := margin + float64(i)*(bw+3)
		d.SetFillColor(244, 245, 248)
		d.Rect(x, y, bw, 26, "F")
		d.SetXY(x+2, y+2)
		d.SetFont(font, "", 8)
		d.gray()
		d.CellFormat(bw-4, 4, d.t(m.Key), "", 2, "L", false, 0, "")
		d.SetFont(font, "B", 16)
		d.ink()
		dec := 0
		if m.Key == "engagement" {
			dec = 1
		}
		val, note := "—", d.t(m.Reason)
		if m.Value != nil {
			val, note = Num(d.lang, *m.Value, dec), ""
			if m.Key == "followers_gained" && *m.Value > 0 {
				val = "+" + val
			}
			if m.Change != nil {
				note = signed(d.lang, *m.Change) + "% " + d.t("vs_prev")
			} else {
				note = d.t(ReasonNoPrevious)
			}
		}
		d.CellFormat(bw-4, 9, val, "", 2, "L", false, 0, "")
		d.SetFont(font, "", 7)
		d.gray()
		if m.Change != nil && *m.Change < 0 {
			d.SetTextColor(170, 40, 40)
		} else if m.Change != nil && *m.Change > 0 {
			d.SetTextColor(30, 120, 60)
		}
		d.MultiCell(bw-4, 3.2, note, "", "L", false)
	}
	d.ink()
	d.SetY(y + 29)
}

func signed(lang string, v float64) string {
	s := Num(lang, math.Round(v*10)/10, 1)
	if v > 0 {
		return "+" + s
	}
	return s
}

func (d *pdfDoc) dailyChart() {
	d.section("daily", 58)
	x0, y0, w, h := margin+10, d.GetY()+2, contentW-20, 45.0
	maxI, maxP := 1, 1
	for _, p := range d.r.Daily {
		maxI, maxP = max(maxI, p.Interactions), max(maxP, p.Posts)
	}
	d.axes(x0, y0, w, h)
	n := len(d.r.Daily)
	if n == 0 {
		return
	}
	step := w / float64(n)
	c := d.color
	d.SetFillColor(c[0], c[1], c[2])
	var pts []fpdf.PointType
	for i, p := range d.r.Daily {
		bh := h * float64(p.Interactions) / float64(maxI)
		if bh > 0 {
			d.Rect(x0+float64(i)*step+step*0.15, y0+h-bh, step*0.7, bh, "F")
		}
		pts = append(pts, fpdf.PointType{X: x0 + float64(i)*step + step/2, Y: y0 + h - h*float64(p.Posts)/float64(maxP)})
	}
	d.SetDrawColor(40, 40, 50)
	d.SetLineWidth(0.4)
	for i := 1; i < len(pts); i++ {
		d.Line(pts[i-1].X, pts[i-1].Y, pts[i].X, pts[i].Y)
	}
	d.SetFillColor(40, 40, 50)
	for i, p := range pts {
		if d.r.Daily[i].Posts > 0 {
			d.Circle(p.X, p.Y, 0.7, "F")
		}
	}
	d.SetFont(font, "", 7)
	d.gray()
	d.Text(margin, y0+3, strconv.Itoa(maxI))
	d.Text(x0+w+1, y0+3, strconv.Itoa(maxP))
	for i, p := range d.r.Daily {
		if i%5 == 0 || i == n-1 {
			d.Text(x0+float64(i)*step, y0+h+4, strings.TrimLeft(p.Day[8:], "0"))
		}
	}
	ly := y0 + h + 8
	d.SetFillColor(c[0], c[1], c[2])
	d.Rect(x0, ly-2.2, 3, 2.5, "F")
	d.Text(x0+4, ly, d.t("interactions"))
	d.SetFillColor(40, 40, 50)
	d.Circle(x0+40, ly-1, 0.8, "F")
	d.Text(x0+42, ly, d.t("posts"))
	d.ink()
	d.SetY(ly + 3)
}

func (d *pdfDoc) axes(x0, y0, w, h float64) {
	d.SetDrawColor(200, 200, 210)
	d.SetLineWidth(0.2)
	for i := 0; i <= 4; i++ {
		y := y0 + h*float64(i)/4
		d.Line(x0, y, x0+w, y)
	}
}

var seriesColors = [][3]int{{40, 40, 50}, {52, 120, 200}, {200, 120, 40}, {60, 150, 90}, {150, 60, 150}, {120, 120, 120}}

func (d *pdfDoc) followersChart() {
	d.section("followers", 50)
	series := d.r.Followers
	if len(series) == 0 {
		d.gray()
		d.CellFormat(contentW, 6, "— "+d.t(ReasonNoSnapshots), "", 1, "L", false, 0, "")
		d.ink()
		return
	}
	days := d.r.Period.DayList(zone(d.r.Client.TimeZone))
	idx := map[string]int{}
	for i, day := range days {
		idx[day] = i
	}
	lo, hi := math.MaxInt, 0
	for _, s := range series {
		for _, p := range s.Points {
			lo, hi = min(lo, p.Followers), max(hi, p.Followers)
		}
	}
	if lo == math.MaxInt {
		lo = 0
	}
	if hi == lo {
		hi = lo + 1
	}
	x0, y0, w, h := margin+14, d.GetY()+2, contentW-14, 35.0
	d.axes(x0, y0, w, h)
	step := w / float64(max(len(days)-1, 1))
	d.SetLineWidth(0.5)
	ly := y0 + h + 6
	for si, s := range series {
		c := seriesColors[si%len(seriesColors)]
		d.SetDrawColor(c[0], c[1], c[2])
		d.SetFillColor(c[0], c[1], c[2])
		var prev *fpdf.PointType
		for _, p := range s.Points {
			pt := fpdf.PointType{X: x0 + float64(idx[p.Day])*step, Y: y0 + h - h*float64(p.Followers-lo)/float64(hi-lo)}
			if prev != nil {
				d.Line(prev.X, prev.Y, pt.X, pt.Y)
			}
			d.Circle(pt.X, pt.Y, 0.6, "F")
			prev = &pt
		}
		d.Rect(x0+float64(si%3)*60, ly+float64(si/3)*4-2.2, 3, 2.5, "F")
		d.SetFont(font, "", 7)
		label := NetworkName(s.Network) + " " + s.Handle
		if s.Gained != nil {
			label += " (" + signedInt(d.lang, *s.Gained) + ")"
		}
		d.Text(x0+float64(si%3)*60+4, ly+float64(si/3)*4, d.clean(label))
	}
	d.SetFont(font, "", 7)
	d.gray()
	d.Text(margin, y0+3, Num(d.lang, float64(hi), 0))
	d.Text(margin, y0+h, Num(d.lang, float64(lo), 0))
	d.ink()
	d.SetY(ly + 4*float64((len(series)+2)/3))
}

func signedInt(lang string, n int) string {
	if n > 0 {
		return "+" + Num(lang, float64(n), 0)
	}
	return Num(lang, float64(n), 0)
}

// row draws one table row: cells with widths and alignments.
func (d *pdfDoc) row(widths []float64, aligns string, cells []string, bold bool) {
	if d.GetY()+6 > d.bottomY {
		d.AddPage()
	}
	style := ""
	if bold {
		style = "B"
	}
	d.SetFont(font, style, 8)
	for i, c := range cells {
		d.CellFormat(widths[i], 5.5, d.fit(c, widths[i]-1.5), "B", 0, string(aligns[i]), false, 0, "")
	}
	d.Ln(-1)
}

// fit clips s with "…" to fit width mm.
func (d *pdfDoc) fit(s string, width float64) string {
	s = strings.Join(strings.Fields(d.clean(s)), " ")
	if d.GetStringWidth(s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && d.GetStringWidth(string(r)+"…") > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

func (d *pdfDoc) dash(reason string) {
	d.gray()
	d.CellFormat(contentW, 6, "— "+d.t(reason), "", 1, "L", false, 0, "")
	d.ink()
}

func (d *pdfDoc) topPosts() {
	d.section("top", 40)
	if len(d.r.Top) == 0 {
		reason := ReasonNoFigures
		if len(d.r.Posts) == 0 {
			reason = ReasonNoPosts
		}
		d.dash(reason)
		return
	}
	w := []float64{thumbW, 22, 22, 68, 14, 14, 14, 14}
	d.row(w, "LLLLRRRR", []string{"", d.t("date"), d.t("network"), d.t("post"), d.t("likes"), d.t("replies"), d.t("reposts"), d.t("interactions")}, true)
	for _, p := range d.r.Top {
		f := p.Figures
		note := ""
		if f.Source == "manual" {
			note = " (" + d.t("by_hand") + ")"
		} else if f.Deleted {
			note = " (" + d.t("deleted_mark") + ")"
		}
		if d.GetY()+thumbH > d.bottomY {
			d.AddPage()
		}
		x, y := d.GetX(), d.GetY()
		d.thumbnail(p.MediaID, x+0.5, y+0.5)
		d.SetXY(x+thumbW, y)
		d.SetFont(font, "", 8)
		cells := []string{p.LocalTime[:10], NetworkName(p.Network) + note, p.Text, strconv.Itoa(f.Likes), strconv.Itoa(f.Replies),
			strconv.Itoa(f.Reposts + f.Quotes), strconv.Itoa(p.Interactions)}
		for i, c := range cells {
			d.CellFormat(w[i+1], thumbH, d.fit(c, w[i+1]-1.5), "B", 0, string("LLLRRRR"[i])+"M", false, 0, "")
		}
		d.Line(x, y+thumbH, x+thumbW, y+thumbH)
		d.SetXY(x, y+thumbH)
	}
}

// The top posts' thumbnail cell: a square image of thumbH-1 mm.
const thumbW, thumbH = 12.0, 12.0

// thumbnail draws a post's first image at x, y, when the library still has
// its file; a missing or unreadable one leaves the cell empty.
func (d *pdfDoc) thumbnail(mediaID int64, x, y float64) {
	if mediaID == 0 || d.thumb == nil || d.Err() {
		return
	}
	data, ok := d.thumb(mediaID)
	if !ok || len(data) == 0 {
		return
	}
	name := "thumb-" + strconv.FormatInt(mediaID, 10)
	opt := fpdf.ImageOptions{ImageType: "JPG", ReadDpi: false}
	if d.GetImageInfo(name) == nil {
		if d.RegisterImageOptionsReader(name, opt, bytes.NewReader(data)) == nil || d.Err() {
			d.ClearError() // a file fpdf cannot read: no thumbnail, the report still goes out
			return
		}
	}
	d.ImageOptions(name, x, y, thumbW-1, thumbH-1, false, opt, 0, "")
}

func (d *pdfDoc) networks() {
	d.section("networks", 20)
	if len(d.r.Networks) == 0 {
		d.dash(ReasonNoPosts)
		return
	}
	w := []float64{40, 20, 20, 20, 20, 20, 20, 20}
	d.row(w, "LRRRRRRR", []string{d.t("network"), d.t("posts"), d.t("likes"), d.t("replies"), d.t("reposts"), d.t("quotes"), d.t("interactions"), d.t("per_post")}, true)
	for _, n := range d.r.Networks {
		name := NetworkName(n.Network)
		if n.Manual {
			name += " (" + d.t("by_hand") + ")"
		}
		cells := []string{name, strconv.Itoa(n.Posts), "—", "—", "—", "—", "—", "—"}
		if n.WithFigures > 0 {
			cells = []string{name, strconv.Itoa(n.Posts), Num(d.lang, float64(n.Likes), 0), Num(d.lang, float64(n.Replies), 0), Num(d.lang, float64(n.Reposts), 0),
				Num(d.lang, float64(n.Quotes), 0), Num(d.lang, float64(n.Interactions), 0), Num(d.lang, *n.PerPost, 1)}
		}
		d.row(w, "LRRRRRRR", cells, false)
	}
}

func (d *pdfDoc) best() {
	d.section("best", 12)
	b := d.r.Best
	if b == nil {
		d.dash(d.r.BestReason)
		return
	}
	line := fmt.Sprintf(d.t("best_line"), weekdays[d.lang][b.Weekday], fmt.Sprintf("%02d", b.Hour), Num(d.lang, b.HourAvg, 1), b.PostsCounted)
	d.MultiCell(contentW, 5, line, "", "L", false)
}

func (d *pdfDoc) objectives() {
	d.section("objectives", 20)
	if len(d.r.Objectives) == 0 {
		month := d.r.ObjMonth
		if month == "" {
			month = d.r.Period.FromDay[:7]
		}
		t, _ := time.Parse("2006-01", month)
		d.gray()
		d.MultiCell(contentW, 5, fmt.Sprintf(d.t("no_objectives"), months[d.lang][t.Month()-1]+" "+strconv.Itoa(t.Year())), "", "L", false)
		d.ink()
		return
	}
	w := []float64{80, 30, 30, 40}
	d.row(w, "LRRL", []string{"", d.t("target"), d.t("result"), ""}, true)
	for _, o := range d.r.Objectives {
		name := d.t("obj_" + o.Key)
		if o.Key == "posts" {
			name = fmt.Sprintf(name, NetworkName(o.Network))
		}
		res, met := "—", d.t(o.Reason)
		if o.Result != nil {
			res = Num(d.lang, *o.Result, 0)
		}
		if o.Met != nil {
			met = d.t("not_met")
			if *o.Met {
				met = d.t("met")
			}
		}
		d.row(w, "LRRL", []string{name, Num(d.lang, o.Target, 0), res, met}, false)
	}
}

func zone(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return time.UTC
}

func hexColor(s string) [3]int {
	if len(s) != 7 || s[0] != '#' {
		return [3]int{79, 124, 255}
	}
	var c [3]int
	for i := 0; i < 3; i++ {
		v, err := strconv.ParseUint(s[1+2*i:3+2*i], 16, 8)
		if err != nil {
			return [3]int{79, 124, 255}
		}
		c[i] = int(v)
	}
	return c
}

func luminance(c [3]int) float64 {
	return (0.2126*float64(c[0]) + 0.7152*float64(c[1]) + 0.0722*float64(c[2])) / 255
}

// glyphs drops what the font cannot draw (emoji, symbols outside the Go
// fonts), so a snippet never breaks the PDF or shows boxes.
type glyphs struct {
	f   *sfnt.Font
	buf sfnt.Buffer
	has map[rune]bool
}

func newGlyphs() *glyphs {
	f, _ := sfnt.Parse(goregular.TTF)
	return &glyphs{f: f, has: map[rune]bool{}}
}

func (g *glyphs) ok(r rune) bool {
	if v, seen := g.has[r]; seen {
		return v
	}
	v := false
	if g.f != nil {
		i, err := g.f.GlyphIndex(&g.buf, r)
		v = err == nil && i != 0
	}
	g.has[r] = v
	return v
}

func (g *glyphs) clean(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == ' ':
			b.WriteRune(r)
		case r == '\t':
			b.WriteRune(' ')
		case unicode.IsControl(r) || unicode.Is(unicode.Variation_Selector, r) || r == '\u200d':
		case g.ok(r):
			b.WriteRune(r)
		}
	}
	out := b.String()
	for strings.Contains(out, "  ") {
		out = strings.ReplaceAll(out, "  ", " ")
	}
	return strings.TrimSpace(out)
}
