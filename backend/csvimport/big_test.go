package csvimport

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// bigFile writes a 1,000-row Excel-style file (BOM, ';', CRLF, day-first
// dates, emoji, a line break in every tenth text) where 30 rows are wrong in
// five ways, and returns the lines the import must report for them.
func bigFile(rows int) (data []byte, want []string) {
	var b strings.Builder
	b.WriteString("\ufeffFecha;Hora;Cuenta;Texto;Etiquetas\r\n")
	bad := 0
	for i := range rows {
		n := i + 2 // the spreadsheet's row number
		day := 1 + i%28
		month := 2 + (i/28)%10
		date := fmt.Sprintf("%02d/%02d/2026", day, month)
		clock := fmt.Sprintf("%02d:%02d", 8+i%12, (i*7)%60)
		account := []string{"instagram", "@cafe_luna@mastodon.social", "cafeluna.bsky.social", "instagram|mastodon"}[i%4]
		text := fmt.Sprintf("Post %d #cafe ☕", i)
		if i%10 == 0 {
			text = fmt.Sprintf("\"Post %d #cafe\r\nsecond line 🌸\"", i)
		}
		if i%33 == 7 && bad < 30 {
			switch bad % 5 {
			case 0:
				date = fmt.Sprintf("%02d/13/2026", day)
				want = append(want, fmt.Sprintf("row %d: Fecha: %q is not a date (YYYY-MM-DD, or DD/MM/YYYY or MM/DD/YYYY)", n, date))
			case 1:
				account = "tiktok"
				want = append(want, fmt.Sprintf("row %d: Cuenta: the client has no tiktok account", n))
			case 2:
				clock = "25:00"
				want = append(want, fmt.Sprintf("row %d: Hora: \"25:00\" is not a time (HH:MM, 24 hours)", n))
			case 3:
				account = "@nobody"
				want = append(want, fmt.Sprintf("row %d: Cuenta: \"@nobody\" is not one of the client's accounts", n))
			case 4:
				text = ""
				want = append(want, fmt.Sprintf("row %d: Texto: the post has no text", n))
			}
			bad++
		}
		fmt.Fprintf(&b, "%s;%s;%s;%s;lote %d\r\n", date, clock, account, text, i%5)
	}
	return []byte(b.String()), want
}

func TestThousandRowsThirtyBad(t *testing.T) {
	data, want := bigFile(1000)
	if len(want) != 30 {
		t.Fatalf("fixture has %d bad rows", len(want))
	}
	path := filepath.Join(t.TempDir(), "month.csv")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := Read(raw)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Build(tb, testInput(), Options{Order: DayFirst, Now: jan2026})
	if err != nil {
		t.Fatal(err)
	}
	if got := RejectedLines(p); !reflect.DeepEqual(got, want) {
		t.Errorf("rejected lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if p.Create != 970 || p.Rejected != 30 || p.Duplicates != 0 || len(p.Rows) != 1000 {
		t.Errorf("create %d rejected %d duplicates %d rows %d", p.Create, p.Rejected, p.Duplicates, len(p.Rows))
	}
	if r := p.Rows[10]; r.Post.BaseText != "Post 10 #cafe\nsecond line 🌸" || r.Row != 12 {
		t.Errorf("row 12: %q", r.Post.BaseText)
	}
}

func BenchmarkDryRun1000(b *testing.B) {
	data, _ := bigFile(1000)
	in := testInput()
	b.ReportAllocs()
	for b.Loop() {
		tb, err := Read(data)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Build(tb, in, Options{Order: DayFirst, Now: jan2026}); err != nil {
			b.Fatal(err)
		}
	}
}
