package report_test

import (
	"bytes"
	"encoding/csv"
	"image"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/report"
)

func needPoppler(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdftotext", "pdfinfo", "pdftoppm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: install poppler-utils (scripts/deps.sh apt)", tool)
		}
	}
}

func pdfText(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func pdfPages(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("pdfinfo: no page count in %s", out)
	}
	return m[1]
}

func TestPDFInEachLanguage(t *testing.T) {
	needPoppler(t)
	cases := []struct {
		lang, heading, period, totals, said, page string
		interactions                              string
	}{
		{"es", "Informe mensual", "octubre 2026", "Publicaciones", "Lo que dijo la gente", "Página 1 de 2", "47"},
		{"it", "Report mensile", "ottobre 2026", "Interazioni per post", "Cosa ha detto la gente", "Pagina 1 di 2", "47"},
		{"en", "Monthly report", "October 2026", "Interactions per post", "What people said", "Page 1 of 2", "47"},
	}
	for _, c := range cases {
		t.Run(c.lang, func(t *testing.T) {
			s := seed(t, c.lang)
			r := load(t, s, "2026-10", s.inbox())
			r.Text.Summary = "Octubre fue bueno: +50 seguidores, 3 € por café ☕🚀"
			path := filepath.Join(t.TempDir(), "informe.pdf")
			if err := report.WritePDF(path, r, report.PDFOptions{Author: "Lucía Pérez", Now: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}); err != nil {
				t.Fatal(err)
			}
			txt := pdfText(t, path)
			for _, want := range []string{"Café Ñandú", c.heading, c.period, c.totals, c.said, c.page, "Lucía Pérez", "3 € por café", "Nuevo café de temporada por 3 €"} {
				if !strings.Contains(txt, want) {
					t.Errorf("the PDF does not say %q:\n%s", want, txt)
				}
			}
			// The totals: 5 posts, 47 interactions, +50 followers, and the change.
			for _, re := range []string{`\b5\b`, `\b47\b`, `\+50\b`, `\+400`, `\+135`} {
				if !regexp.MustCompile(re).MatchString(txt) {
					t.Errorf("no total %s in the PDF", re)
				}
			}
			if pages := pdfPages(t, path); pages != "2" {
				t.Errorf("%s pages, want 2", pages)
			}
			if c.lang == "es" {
				out := filepath.Join(artifacts(t), "report-es-page1")
				if b, err := exec.Command("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", path, out).CombinedOutput(); err != nil {
					t.Fatalf("pdftoppm: %v %s", err, b)
				}
				if st, err := os.Stat(out + ".png"); err != nil || st.Size() < 5000 {
					t.Fatalf("page 1 PNG: %v", err)
				}
			}
		})
	}
}

// artifacts is test-results/ at the repository root.
func artifacts(t *testing.T) string {
	dir, _ := filepath.Abs(filepath.Join("..", "..", "test-results"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestPDFEmptyPeriodAndUnwritablePath(t *testing.T) {
	needPoppler(t)
	s := seed(t, "en")
	r := load(t, s, "2026-12", nil)
	dir := t.TempDir()
	path := filepath.Join(dir, "empty.pdf")
	if err := report.WritePDF(path, r, report.PDFOptions{}); err != nil {
		t.Fatal(err)
	}
	txt := pdfText(t, path)
	for _, want := range []string{"December 2026", "nothing published in this period", "The inbox has no conversations for this period.", "Page 1 of 2"} {
		if !strings.Contains(txt, want) {
			t.Errorf("the empty report does not say %q:\n%s", want, txt)
		}
	}
	// A folder that cannot be written: a clear error, no file left behind.
	ro := filepath.Join(dir, "ro")
	os.Mkdir(ro, 0o500)
	err := report.WritePDF(filepath.Join(ro, "r.pdf"), r, report.PDFOptions{})
	if os.Geteuid() != 0 { // root writes anywhere
		if e := backend.AsError(err); e == nil || e.Key != "report.output_unwritable" || e.Params["path"] == "" {
			t.Fatalf("error %v", err)
		}
	}
	if err := report.WritePDF(dir, r, report.PDFOptions{}); backend.AsError(err).Key != "report.output_unwritable" {
		t.Fatalf("a folder as the output: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*tmp"))
	if len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}

func TestCSV(t *testing.T) {
	s := seed(t, "es")
	r := load(t, s, "2026-10", nil)
	for _, c := range []struct {
		sep rune
		bom bool
	}{{0, true}, {',', false}} {
		path := filepath.Join(t.TempDir(), "posts.csv")
		if err := report.WriteCSV(path, r, report.CSVOptions{Separator: c.sep}); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(path)
		if bytes.HasPrefix(b, []byte("\ufeff")) != c.bom {
			t.Fatalf("BOM %v, want %v", !c.bom, c.bom)
		}
		cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
		cr.Comma = c.sep
		if c.sep == 0 {
			cr.Comma = ';'
		}
		rows, err := cr.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1+5 || rows[0][0] != "fecha" || rows[0][4] != "texto" {
			t.Fatalf("rows %v", rows)
		}
		byText := map[string][]string{}
		for _, row := range rows[1:] {
			byText[row[4]] = row
		}
		if row := byText["Nuevo café de temporada ☕ por 3 €"]; row == nil || row[0] != "2026-10-20" || row[1] != "10:00" || row[6] != "10" || row[12] != "15" {
			t.Fatalf("row %v", row)
		}
		if row := byText["Foto del local"]; row[10] != "300" || row[13] != "introducido a mano" {
			t.Fatalf("manual row %v", row)
		}
		if row := byText["Historia sin cifras"]; row[6] != "" || row[14] != "cifras no introducidas" {
			t.Fatalf("missing row %v", row)
		}
	}
}

// pdfImages counts the images embedded in a PDF (pdfimages -list).
func pdfImages(t *testing.T, path string) int {
	t.Helper()
	out, err := exec.Command("pdfimages", "-list", path).Output()
	if err != nil {
		t.Fatalf("pdfimages: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return len(lines) - 2 // a header line and a rule
}

func TestPDFTopPostThumbnails(t *testing.T) {
	needPoppler(t)
	s := seed(t, "en")
	r := load(t, s, "2026-10", nil)
	if len(r.Top) < 3 {
		t.Fatalf("top %d", len(r.Top))
	}
	var img bytes.Buffer
	m := image.NewRGBA(image.Rect(0, 0, 40, 40))
	for i := range m.Pix {
		m.Pix[i] = byte(i * 7)
	}
	if err := jpeg.Encode(&img, m, nil); err != nil {
		t.Fatal(err)
	}
	// Three top posts carry an image: one file is gone from the library
	// (the provider says so), one is not a JPEG fpdf can read.
	r.Top[0].MediaID, r.Top[1].MediaID, r.Top[2].MediaID = 1, 2, 3
	asked := map[int64]bool{}
	thumb := func(id int64) ([]byte, bool) {
		asked[id] = true
		switch id {
		case 1:
			return img.Bytes(), true
		case 3:
			return []byte("not a jpeg"), true
		}
		return nil, false
	}
	path := filepath.Join(artifacts(t), "report-thumbnails.pdf")
	if err := report.WritePDF(path, r, report.PDFOptions{Thumb: thumb}); err != nil {
		t.Fatal(err)
	}
	if n := pdfImages(t, path); n != 1 {
		t.Fatalf("%d images embedded, want 1", n)
	}
	if !asked[1] || !asked[2] || !asked[3] {
		t.Fatalf("asked %v", asked)
	}
	if txt := pdfText(t, path); !strings.Contains(txt, "Top posts") {
		t.Fatalf("no top posts table:\n%s", txt)
	}
	// Without a provider (or no image): no image, no failure.
	path = filepath.Join(t.TempDir(), "plain.pdf")
	if err := report.WritePDF(path, r, report.PDFOptions{}); err != nil || pdfImages(t, path) != 0 {
		t.Fatalf("without thumbnails: %v", err)
	}
}
