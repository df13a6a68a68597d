package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pauta/app"
	"pauta/backend"
	"pauta/backend/demo"
	"pauta/backend/sqlite"
)

func reportCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(Env{Args: append([]string{"report"}, args...), Stdout: &out, Stderr: &errb, Version: "test",
		Clock: backend.FixedClock{T: exportNow}, Launch: func(*app.App) error { t.Fatal("window launched"); return nil }})
	return code, out.String(), errb.String()
}

func TestReportCommand(t *testing.T) {
	dir := demoWorkspace(t)
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, app.DBFile), backend.FixedClock{T: exportNow})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.SeedHistory(context.Background(), db, backend.FixedClock{T: exportNow}, []string{"Studio Brera"}); err != nil {
		t.Fatal(err)
	}
	withImages := libraryImageOnPosts(t, db, dir, "Studio Brera", "2026-10")
	db.Close()
	out := filepath.Join(t.TempDir(), "report.pdf")
	code, stdout, stderr := reportCmd(t, "--data-dir", dir, "--client", "studio brera", "--month", "2026-10", "-o", out)
	if code != 0 || !strings.Contains(stdout, "Studio Brera") {
		t.Fatalf("exit %d: %s %s", code, stdout, stderr)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		txt, err := exec.Command("pdftotext", out, "-").Output()
		if err != nil || !strings.Contains(string(txt), "Report mensile") || !strings.Contains(string(txt), "ottobre 2026") {
			t.Fatalf("pdf text %q %v", txt, err)
		}
	}
	// The top posts carry their image as a thumbnail, read from the library
	// without writing anything into the workspace.
	list, err := exec.Command("pdfimages", "-list", out).Output()
	if n := len(strings.Split(strings.TrimSpace(string(list)), "\n")) - 2; err != nil || n < 1 || n > withImages {
		t.Fatalf("images in the PDF (want 1 to %d):\n%s %v", withImages, list, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "cache", "media")); !os.IsNotExist(err) {
		t.Fatalf("the command wrote a render cache: %v", err)
	}
	csvOut := filepath.Join(t.TempDir(), "posts.csv")
	code, _, stderr = reportCmd(t, "--data-dir", dir, "--client", "Studio Brera", "--from", "2026-10-01", "--to", "2026-10-31", "--csv", "-o", csvOut)
	b, _ := os.ReadFile(csvOut)
	if code != 0 || !strings.HasPrefix(string(b), "\ufeffdata;ora;rete") {
		t.Fatalf("exit %d %s: %q", code, stderr, string(b[:min(40, len(b))]))
	}

	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--data-dir", dir, "--month", "2026-10", "-o", out}, 2, "--client"},
		{[]string{"--data-dir", dir, "--client", "Nadie", "--month", "2026-10", "-o", out}, 1, `no client is called "Nadie"`},
		{[]string{"--data-dir", dir, "--client", "Studio Brera", "--month", "2026-13", "-o", out}, 1, "is not a month"},
		{[]string{"--data-dir", dir, "--client", "Studio Brera", "--month", "2026-10", "-o", filepath.Join(dir, "missing", "r.pdf")}, 1, "cannot write"},
		{[]string{"--data-dir", t.TempDir(), "--client", "Studio Brera", "--month", "2026-10", "-o", out}, 1, "no Pauta workspace"},
	} {
		code, _, stderr := reportCmd(t, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d %q, want %d %q", c.args, code, stderr, c.code, c.want)
		}
	}
}

// libraryImageOnPosts stores one JPEG in the workspace's library and gives it
// to the client's posts published in month; it returns how many of the top 5
// carry it (every one, at most 5).
func libraryImageOnPosts(t *testing.T, db *sqlite.DB, dir, client, month string) int {
	t.Helper()
	ctx := context.Background()
	c, err := db.FindClientByName(ctx, client)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 300, 200))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 13)
	}
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(buf.Bytes())
	hash := hex.EncodeToString(sum[:])
	if err := os.MkdirAll(filepath.Join(dir, "media", hash[:2]), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "media", hash[:2], hash+".jpg"), buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	m := &backend.Media{ClientID: c.ID, Hash: hash, Name: "obra.jpg", Format: "jpeg", Bytes: int64(buf.Len()), Width: 300, Height: 200, FocalX: 0.5, FocalY: 0.5}
	if _, err := db.CreateMedia(ctx, m); err != nil {
		t.Fatal(err)
	}
	from, _ := time.Parse("2006-01", month)
	posts, err := db.ReportPosts(ctx, c.ID, from, from.AddDate(0, 1, 0))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	for _, p := range posts {
		if !seen[p.PostID] {
			seen[p.PostID] = true
			if err := db.SetPostMedia(ctx, p.PostID, []backend.PostMedia{{PostID: p.PostID, MediaID: m.ID}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return min(len(posts), 5)
}
