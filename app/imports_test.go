package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/csvimport"
)

type fakeCSVDialogs struct{ open, save string }

func (f fakeCSVDialogs) OpenCSV() (string, error)       { return f.open, nil }
func (f fakeCSVDialogs) SaveCSV(string) (string, error) { return f.save, nil }

func importEnv(t testing.TB, a *App) (client int64) {
	t.Helper()
	c, err := a.Clients.Save(ClientInput{Name: "Café Luna", Color: "#e8833a", TimeZone: "Europe/Madrid", Language: "es"})
	if err != nil {
		t.Fatal(err)
	}
	for _, acc := range []AccountInput{{ClientID: c.ID, Network: "instagram", Handle: "cafe_luna"}, {ClientID: c.ID, Network: "mastodon", Handle: "@luna@example.social"}} {
		if _, err := a.Clients.AddAccount(acc); err != nil {
			t.Fatal(err)
		}
	}
	return c.ID
}

func writeFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCSVImportThroughService(t *testing.T) {
	a, rec := newApp(t)
	client := importEnv(t, a)
	dir := t.TempDir()
	good := photoJPEG(640, 480, 7)
	writeFile(t, dir, "img/cup.jpg", good)
	writeFile(t, dir, "img/broken.jpg", good[:len(good)/2]) // cut short: only the full decode finds out
	writeFile(t, dir, "img/notes.jpg", []byte("not an image at all"))
	csv := "\ufeffFecha;Hora;Cuenta;Texto;Media;Alt\r\n" +
		"01/12/2026;10:00;instagram;\"Primer post ☕\r\ncon salto\";img/cup.jpg;Una taza\r\n" +
		"02/12/2026;10:00;instagram|mastodon;Segundo post;;\r\n" +
		"03/12/2026;10:00;instagram;Tercero;img/broken.jpg;\r\n" +
		"04/12/2026;10:00;tiktok;Cuarto;;\r\n" +
		"05/12/2026;10:00;instagram;Quinto;img/notes.jpg;\r\n"
	path := writeFile(t, dir, "diciembre.csv", []byte(csv))
	req := ImportRequest{ClientID: client, Path: path, Order: "day-first"}

	pv, err := a.Imports.Preview(req)
	if err != nil {
		t.Fatal(err)
	}
	if pv.Plan.Create != 3 || pv.Plan.Rejected != 2 || pv.Plan.Rows[4].Errors[0].Column != "Media" || pv.Label != "import-2026-11-24" {
		t.Fatalf("preview: create %d rejected %d label %s", pv.Plan.Create, pv.Plan.Rejected, pv.Label)
	}
	// Rejected rows and no skip: nothing is written, not even the images.
	_, err = a.Imports.Apply(req)
	wantKey(t, err, "csv.rows_rejected")
	posts, _ := a.store.ListPosts(t.Context(), backend.PostFilter{ClientID: client, Ideas: true})
	lib, _ := a.store.ListMedia(t.Context(), client, "")
	if len(posts) != 0 || len(lib) != 0 {
		t.Fatalf("after a refused import: %d posts, %d images", len(posts), len(lib))
	}

	// Skip the bad rows: the broken image rejects its row at apply time.
	req.SkipInvalid = true
	req.Expect = pv.Plan.Create + 1 // the file "changed" since the preview: refused
	_, err = a.Imports.Apply(req)
	wantKey(t, err, "csv.changed")
	req.Expect = pv.Plan.Create // what the preview promised, a row with a bad image left out
	res, err := a.Imports.Apply(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 2 || res.Rejected != 3 || res.Import.Label != "import-2026-11-24" {
		t.Fatalf("result: imported %d rejected %d %+v", res.Imported, res.Rejected, res.Import)
	}
	lines := csvimport.RejectedLines(res.Plan)
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "row 4: Media: ") || lines[1] != "row 5: Cuenta: the client has no tiktok account" || !strings.HasPrefix(lines[2], "row 6: Media: ") {
		t.Errorf("rejected lines %q", lines)
	}
	posts, _ = a.store.ListPosts(t.Context(), backend.PostFilter{ClientID: client, Ideas: true})
	if len(posts) != 2 || posts[0].BaseText != "Primer post ☕\ncon salto" || len(posts[1].Variants) != 2 {
		t.Fatalf("posts %+v", posts)
	}
	pm, _ := a.store.ListPostMedia(t.Context(), posts[0].ID)
	lib, _ = a.store.ListMedia(t.Context(), client, "")
	if len(pm) != 1 || len(lib) != 1 || lib[0].Alt != "Una taza" {
		t.Fatalf("media %+v library %+v", pm, lib)
	}
	if !contains(rec.events, EventPostsChanged) {
		t.Error("no posts:changed event")
	}

	// The same file again adds nothing: every row is a duplicate or rejected.
	pv, err = a.Imports.Preview(req)
	if err != nil || pv.Plan.Create != 1 || pv.Plan.Duplicates != 2 || pv.Plan.Rejected != 2 {
		t.Fatalf("second preview: %+v %v", pv.Plan, err)
	}

	// Save the rejected rows to fix them.
	out := filepath.Join(dir, "fix.csv")
	a.Imports.dialogs = fakeCSVDialogs{save: out}
	if got, err := a.Imports.SaveRejected(req); err != nil || got != out {
		t.Fatalf("save rejected: %q %v", got, err)
	}
	data, _ := os.ReadFile(out)
	if !strings.HasPrefix(string(data), "\ufeffFecha;Hora;Cuenta;Texto;Media;Alt\r\n04/12/2026;10:00;tiktok;Cuarto;;\r\n") {
		t.Errorf("rejected file %q", data)
	}

	// Undo: exactly the import's posts and the image it added go.
	files := len(mediaFiles(t, a))
	n, err := a.Imports.Undo(res.Import.ID)
	if err != nil || n != 2 {
		t.Fatalf("undo: %d %v", n, err)
	}
	posts, _ = a.store.ListPosts(t.Context(), backend.PostFilter{ClientID: client, Ideas: true})
	lib, _ = a.store.ListMedia(t.Context(), client, "")
	if len(posts) != 0 || len(lib) != 0 || files != 1 || len(mediaFiles(t, a)) != 0 {
		t.Errorf("after undo: %d posts, %d images, files %d → %d", len(posts), len(lib), files, len(mediaFiles(t, a)))
	}
}

func TestCSVImportFileErrors(t *testing.T) {
	a, _ := newApp(t)
	client := importEnv(t, a)
	dir := t.TempDir()
	xlsx := writeFile(t, dir, "plan.xlsx", []byte("PK\x03\x04\x14\x00\x06\x00[Content_Types].xml"))
	_, err := a.Imports.Preview(ImportRequest{ClientID: client, Path: xlsx})
	wantKey(t, err, "csv.is_xlsx")
	_, err = a.Imports.Preview(ImportRequest{ClientID: client, Path: filepath.Join(dir, "nope.csv")})
	wantKey(t, err, "csv.file_missing")
	_, err = a.Imports.Preview(ImportRequest{ClientID: client, Path: dir})
	wantKey(t, err, "csv.not_a_file")
	url := writeFile(t, dir, "u.csv", []byte("date,time,account,text,media\n2026-12-01,10:00,instagram,hi,https://example.com/a.jpg\n"))
	pv, err := a.Imports.Preview(ImportRequest{ClientID: client, Path: url})
	if err != nil || pv.Plan.Rows[0].Errors[0].Key != "csv.media_url" {
		t.Fatalf("url: %+v %v", pv.Plan, err)
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func mediaFiles(t testing.TB, a *App) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(filepath.Join(a.cfg.DataDir, "media"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// BenchmarkCSVImport1000Rows200Images is the goal: 1,000 rows
// carrying 200 distinct photos, imported (decoded, stored, one transaction)
// in under 10 s.
func BenchmarkCSVImport1000Rows200Images(b *testing.B) {
	dir := b.TempDir()
	for i := range 200 {
		writeFile(b, dir, fmt.Sprintf("img/%03d.jpg", i), photoJPEG(1600, 1200, uint64(i+1)))
	}
	var sb strings.Builder
	sb.WriteString("date,time,account,text,media\n")
	for i := range 1000 {
		img := ""
		if i%5 == 0 {
			img = fmt.Sprintf("img/%03d.jpg", i/5)
		}
		fmt.Fprintf(&sb, "2026-12-%02d,%02d:%02d,instagram,Post %d,%s\n", 1+i%28, 8+i%12, i%60, i, img)
	}
	path := writeFile(b, dir, "month.csv", []byte(sb.String()))
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		a, err := New(b.Context(), Config{DataDir: b.TempDir(), Clock: backend.FixedClock{T: testNow}, Emitter: NopEmitter{}, Secrets: newMemSecrets()})
		if err != nil {
			b.Fatal(err)
		}
		client := importEnv(b, a)
		b.StartTimer()
		c0 := cpuTime()
		res, err := a.Imports.Apply(ImportRequest{ClientID: client, Path: path})
		cpu += cpuTime() - c0
		if err != nil || res.Imported != 1000 {
			b.Fatalf("%d %v", res.Imported, err)
		}
		b.StopTimer()
		a.Close()
		b.StartTimer()
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}
