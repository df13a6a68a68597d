package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pauta/app"
	"pauta/backend"
)

func importWorkspace(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	a, err := app.New(context.Background(), app.Config{DataDir: dir, Clock: backend.FixedClock{T: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)}, Role: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	c, err := a.Clients.Save(app.ClientInput{Name: "Café Luna", Color: "#e8833a", TimeZone: "Europe/Madrid", Language: "es"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Clients.AddAccount(app.AccountInput{ClientID: c.ID, Network: "instagram", Handle: "cafe_luna"}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func posts(t *testing.T, dir string) int {
	t.Helper()
	a, err := app.New(context.Background(), app.Config{DataDir: dir, Role: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ps, err := a.Store().ListPosts(context.Background(), backend.PostFilter{Ideas: true})
	if err != nil {
		t.Fatal(err)
	}
	return len(ps)
}

func TestImportCSV(t *testing.T) {
	ws := importWorkspace(t)
	file := filepath.Join(t.TempDir(), "diciembre.csv")
	csv := "\ufeffFecha;Hora;Cuenta;Texto\r\n" +
		"01/12/2026;10:00;instagram;Hola ☕\r\n" +
		"02/12/2026;10:00;tiktok;Cuarto\r\n" +
		"03/12/2026;25:00;instagram;Otro\r\n"
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	rejected := "row 3: Cuenta: the client has no tiktok account\nrow 4: Hora: \"25:00\" is not a time (HH:MM, 24 hours)\n"

	code, out, errOut := run(t, nil, "import-csv", "--data-dir", ws, "--client", "café luna", "--day-first", "--dry-run", file)
	if code != 1 || out != rejected+"1 post to import, 2 rows rejected\n" {
		t.Errorf("dry run: %d %q %q", code, out, errOut)
	}
	code, out, _ = run(t, nil, "import-csv", "--data-dir", ws, "--client", "Café Luna", "--day-first", "--dry-run", "--skip-invalid", file)
	if code != 0 || out != rejected+"1 post to import, 2 rows rejected\n" {
		t.Errorf("dry run, skip invalid: %d %q", code, out)
	}
	code, out, _ = run(t, nil, "import-csv", "--data-dir", ws, "--client", "Café Luna", "--day-first", file)
	if code != 1 || out != rejected+"nothing imported: 2 rows rejected (fix them, or use --skip-invalid)\n" || posts(t, ws) != 0 {
		t.Errorf("rejected rows: %d %q", code, out)
	}
	code, out, _ = run(t, nil, "import-csv", file, "--data-dir", ws, "--client", "Café Luna", "--day-first", "--skip-invalid")
	if code != 0 || out != rejected+"imported 1 post (label import-2026-11-24)\n" || posts(t, ws) != 1 {
		t.Errorf("skip invalid: %d %q", code, out)
	}
	code, out, _ = run(t, nil, "import-csv", "--data-dir", ws, "--client", "Café Luna", "--day-first", "--skip-invalid", file)
	if code != 0 || !strings.Contains(out, "row 2: skipped: the same post") || !strings.HasSuffix(out, "imported 0 posts\n") || posts(t, ws) != 1 {
		t.Errorf("same file again: %d %q", code, out)
	}
}

func TestImportCSVBadUse(t *testing.T) {
	ws := importWorkspace(t)
	dir := t.TempDir()
	xlsx := filepath.Join(dir, "plan.xlsx")
	os.WriteFile(xlsx, []byte("PK\x03\x04\x14\x00\x06\x00[Content_Types].xml"), 0o600)
	cases := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"--data-dir", ws, "x.csv"}, 2, "give --client NAME and the FILE"},
		{[]string{"--data-dir", ws, "--client", "Café Luna", "--day-first", "--month-first", "x.csv"}, 2, "not both"},
		{[]string{"--data-dir", ws, "--client", "Nadie", xlsx}, 1, `no client is called "Nadie"`},
		{[]string{"--data-dir", ws, "--client", "Café Luna", xlsx}, 1, "Excel workbook (.xlsx), not CSV"},
		{[]string{"--data-dir", filepath.Join(dir, "typo"), "--client", "Café Luna", xlsx}, 1, "no Pauta workspace"},
	}
	for _, c := range cases {
		code, _, errOut := run(t, nil, append([]string{"import-csv"}, c.args...)...)
		if code != c.code || !strings.Contains(errOut, c.err) {
			t.Errorf("%v: %d %q", c.args, code, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "typo")); err == nil {
		t.Error("a workspace was created in a mistyped folder")
	}
}
