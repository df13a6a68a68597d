package approval

import (
	"bytes"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// PDF is the same package on paper: numbered posts, each network's text and
// the images, with boxes to tick and room for a comment.
func PDF(p *Package) ([]byte, error) {
	w := p.words()
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(p.Made)
	pdf.SetModificationDate(p.Made)
	pdf.SetTitle(w.title+" · "+p.Client.Name, true)
	pdf.SetProducer("Pauta", true)
	pdf.AddUTF8FontFromBytes("go", "", goregular.TTF)
	pdf.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	pdf.SetMargins(15, 15, 15)
	pdf.SetAutoPageBreak(true, 18)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("go", "", 8)
		pdf.SetTextColor(90, 96, 110)
		pdf.CellFormat(0, 5, w.package_+" "+p.ID+" · "+strconv.Itoa(pdf.PageNo())+"/{nb}", "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	pageW, pageH := pdf.GetPageSize()
	left, _, right, _ := pdf.GetMargins()
	width := pageW - left - right

	pdf.SetTextColor(29, 35, 48)
	pdf.SetFont("go", "B", 10)
	pdf.CellFormat(0, 6, p.Client.Name, "", 1, "", false, 0, "")
	pdf.SetFont("go", "B", 18)
	pdf.MultiCell(0, 9, w.title, "", "", false)
	pdf.SetFont("go", "B", 12)
	pdf.MultiCell(0, 7, p.periodText(), "", "", false)
	pdf.SetFont("go", "", 10)
	pdf.MultiCell(0, 5, fill(w.paperIntro, "zone", p.Client.TimeZone), "", "", false)
	pdf.MultiCell(0, 5, fill(w.made, "date", w.when(p.Made, p.Lang)), "", "", false)
	pdf.Ln(4)
	if len(p.Items) == 0 {
		pdf.MultiCell(0, 6, w.empty, "", "", false)
	}
	for _, it := range p.Items {
		if pdf.GetY() > pageH-60 {
			pdf.AddPage()
		}
		pdf.SetDrawColor(29, 35, 48)
		pdf.Line(left, pdf.GetY(), left+width, pdf.GetY())
		pdf.Ln(2)
		pdf.SetFont("go", "B", 13)
		pdf.MultiCell(0, 7, strconv.Itoa(it.Number)+". "+w.when(it.When, p.Lang), "", "", false)
		for _, c := range it.Cards {
			pdf.SetFont("go", "B", 10)
			head := strings.TrimSpace(networkName(c.Network) + "  " + c.Handle)
			if c.Network == "" {
				head = c.Handle
			}
			if head != "" {
				pdf.MultiCell(0, 5.5, head, "", "", false)
			}
			pdf.SetFont("go", "", 10.5)
			pdf.MultiCell(0, 5.2, c.Text, "", "", false)
			if c.FirstComment != "" {
				pdf.SetFont("go", "B", 9.5)
				pdf.MultiCell(0, 5, w.firstComment, "", "", false)
				pdf.SetFont("go", "", 10)
				pdf.MultiCell(0, 5, c.FirstComment, "", "", false)
			}
			pdf.Ln(1.5)
		}
		if len(it.Images) > 0 {
			const size = 40.0
			x := left
			rowH := 0.0
			for i, im := range it.Images {
				typ := "JPG"
				if im.MIME == "image/png" {
					typ = "PNG"
				}
				name := "p" + strconv.FormatInt(it.Post.ID, 10) + "-" + strconv.Itoa(i)
				info := pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: typ}, bytes.NewReader(im.Data))
				if info == nil || pdf.Err() {
					return nil, pdf.Error()
				}
				iw, ih := size, size*info.Height()/info.Width()
				if ih > size {
					iw, ih = size*info.Width()/info.Height(), size
				}
				if x+iw > left+width {
					pdf.SetY(pdf.GetY() + rowH + 2)
					x, rowH = left, 0
				}
				if pdf.GetY()+ih > pageH-20 {
					pdf.AddPage()
				}
				pdf.ImageOptions(name, x, pdf.GetY(), iw, ih, false, fpdf.ImageOptions{ImageType: typ}, 0, "")
				x += iw + 2
				rowH = max(rowH, ih)
			}
			pdf.SetY(pdf.GetY() + rowH + 2)
		}
		pdf.SetFont("go", "", 10.5)
		pdf.MultiCell(0, 6, w.decision+":   "+w.checkbox, "", "", false)
		pdf.MultiCell(0, 6, w.comment+":", "", "", false)
		pdf.SetDrawColor(170, 176, 190)
		for i := 0; i < 2; i++ {
			y := pdf.GetY() + 6
			pdf.Line(left, y, left+width, y)
			pdf.SetY(y)
		}
		pdf.Ln(6)
	}
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
