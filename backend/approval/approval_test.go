package approval_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"html"
	"image"
	"image/color"
	"image/jpeg"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/approval"
	"pauta/backend/sqlite"
)

var now = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC) // a Wednesday

type jpegs struct{ n int }

func (j *jpegs) PackageImage(ctx context.Context, id int64) (approval.Image, error) {
	j.n++
	m := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for i := range m.Pix {
		m.Pix[i] = byte(i * 7)
	}
	m.Set(0, 0, color.White)
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, nil); err != nil {
		return approval.Image{}, err
	}
	return approval.Image{MIME: "image/jpeg", Data: b.Bytes(), Alt: "pan recién hecho"}, nil
}

type fixture struct {
	db     *sqlite.DB
	client *backend.Client
	ws     string
	posts  []*backend.Post
}

func newFixture(t *testing.T, lang string) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "pauta.db"), backend.FixedClock{T: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := &backend.Client{Name: "Panadería Sol", TimeZone: "Europe/Madrid", Language: lang}
	if err := db.CreateClient(ctx, c); err != nil {
		t.Fatal(err)
	}
	m := &backend.Account{ClientID: c.ID, Network: backend.Mastodon, Handle: "@sol@pan.social"}
	ig := &backend.Account{ClientID: c.ID, Network: backend.Instagram, Handle: "panaderiasol"}
	for _, a := range []*backend.Account{m, ig} {
		if err := db.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	f := &fixture{db: db, client: c}
	for i, s := range []struct{ at, text string }{
		{"2026-12-07T09:00:00Z", "Lunes de <b>pan</b> & café https://evil.example/x.png"},
		{"2026-12-08T17:30:00Z", "Martes de croissants"},
		{"2026-12-14T09:00:00Z", "la semana siguiente"},
	} {
		at, _ := time.Parse(time.RFC3339, s.at)
		p := &backend.Post{ClientID: c.ID, Status: backend.StatusScheduled, BaseText: s.text, ScheduledAt: &at,
			Variants: []backend.Variant{{AccountID: m.ID}, {AccountID: ig.ID, Text: "Solo en Instagram " + s.text}}}
		if i == 0 {
			p.FirstComment = "#pan #sol"
		}
		if err := db.CreatePost(ctx, p); err != nil {
			t.Fatal(err)
		}
		f.posts = append(f.posts, p)
	}
	media := &backend.Media{ClientID: c.ID, Name: "pan.jpg", Hash: strings.Repeat("ab", 32), Format: "jpeg", Bytes: 10, Width: 40, Height: 30}
	if _, err := db.CreateMedia(ctx, media); err != nil {
		t.Fatal(err)
	}
	if err := db.SetPostMedia(ctx, f.posts[0].ID, []backend.PostMedia{{PostID: f.posts[0].ID, MediaID: media.ID}}); err != nil {
		t.Fatal(err)
	}
	if f.ws, err = db.WorkspaceID(ctx); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) build(t *testing.T) *approval.Package {
	t.Helper()
	loc, _ := time.LoadLocation(f.client.TimeZone)
	from, to := approval.NextWeek(now, loc)
	p, err := approval.Build(context.Background(), f.db, &jpegs{}, f.ws, f.client.ID, from, to, now)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestNextWeek(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Madrid")
	for _, tc := range []struct{ now, from string }{
		{"2026-12-02T09:00:00Z", "2026-12-07"}, // Wednesday
		{"2026-12-06T23:30:00Z", "2026-12-07"}, // Sunday 23:30 UTC is Monday 00:30 in Madrid: the Monday after
		{"2026-12-06T12:00:00Z", "2026-12-07"}, // Sunday
	} {
		n, _ := time.Parse(time.RFC3339, tc.now)
		from, to := approval.NextWeek(n, loc)
		if tc.now == "2026-12-06T23:30:00Z" {
			tc.from = "2026-12-14"
		}
		if from.Format("2006-01-02") != tc.from || to.Sub(from) != 7*24*time.Hour || from.Location() != loc || from.Hour() != 0 {
			t.Errorf("%s: next week %v – %v, want from %s", tc.now, from, to, tc.from)
		}
	}
}

func TestHTMLIsSelfContainedLocalisedAndNumbered(t *testing.T) {
	f := newFixture(t, "es")
	p := f.build(t)
	if len(p.Items) != 2 {
		t.Fatalf("%d posts in next week's package, want 2", len(p.Items))
	}
	b, err := approval.HTML(p)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, want := range []string{`<html lang="es">`, "Publicaciones para tu aprobación", "lunes 7 de diciembre – domingo 13 de diciembre",
		"lunes 7 de diciembre, 10:00", "martes 8 de diciembre, 18:30", // Madrid time, not UTC
		`<span class="num">1</span>`, `<span class="num">2</span>`, "Aprobar", "Pedir cambios", "Enviar respuesta",
		"Lunes de &lt;b&gt;pan&lt;/b&gt; &amp; café", "Solo en Instagram", "Primer comentario", `src="data:image/jpeg;base64,`, `alt="pan recién hecho"`,
		`data-hash="` + p.Items[0].Post.ContentHash + `"`, `data-workspace="` + f.ws + `"`, `download="respuesta-panaderia-sol-2026-12-07.txt"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "la semana siguiente") || strings.Contains(page, "<b>pan") {
		t.Error("the page holds a post outside the period or unescaped text")
	}
	// Nothing is loaded from anywhere: every src and href is data: or none,
	// no @import or url() in the style, and a CSP that forbids the rest.
	for _, m := range regexp.MustCompile(`(?i)\b(src|href|action|srcset|poster)\s*=\s*"([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(m[2], "data:") {
			t.Errorf("the page references %s=%q", m[1], m[2])
		}
	}
	if regexp.MustCompile(`(?i)@import|\burl\(|<link|<iframe|<object|<embed|fetch\(|XMLHttpRequest|WebSocket|sendBeacon`).MatchString(page) {
		t.Error("the page can load something")
	}
	cspRE := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]+)">`)
	m := cspRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no CSP meta tag")
	}
	csp := html.UnescapeString(m[1])
	if !strings.HasPrefix(csp, "default-src 'none'; img-src data:;") || strings.Contains(csp, "unsafe") {
		t.Errorf("CSP %q", csp)
	}
	// The hashes are those of the style and script as written in the page.
	for tag, dir := range map[string]string{"style": "style-src", "script": "script-src"} {
		body := regexp.MustCompile(`(?s)<` + tag + `>(.*?)</` + tag + `>`).FindStringSubmatch(page)
		sum := sha256.Sum256([]byte(body[1]))
		if !strings.Contains(csp, dir+" 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") {
			t.Errorf("the CSP's %s hash is not the page's %s", dir, tag)
		}
	}
}

func TestHTMLInEveryLanguage(t *testing.T) {
	for lang, want := range map[string]string{"it-IT": "Post da approvare", "en": "Posts for your approval", "fr": "Posts for your approval"} {
		f := newFixture(t, lang)
		b, err := approval.HTML(f.build(t))
		if err != nil || !strings.Contains(string(b), want) {
			t.Errorf("%s: %v, page lacks %q", lang, err, want)
		}
	}
}

func TestPDFReadsAsThePackage(t *testing.T) {
	f := newFixture(t, "it")
	p := f.build(t)
	b, err := approval.PDF(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils, scripts/deps.sh) is not installed")
	}
	cmd := exec.Command("pdftotext", "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{"Panadería Sol", "Post da approvare", "lunedì 7 dicembre – domenica 13 dicembre", "1. lunedì 7 dicembre, 10:00",
		"2. martedì 8 dicembre, 18:30", "Mastodon", "@sol@pan.social", "Instagram", "Lunes de <b>pan</b> & café", "Primo commento", "#pan #sol",
		"Approva", "Chiedi modifiche", p.ID} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, text)
		}
	}
}

func TestAnswerRoundTripAndDamage(t *testing.T) {
	a := backend.ApprovalAnswer{PackageID: strings.Repeat("1", 32), WorkspaceID: strings.Repeat("2", 32), ClientID: 3, Decisions: []backend.ApprovalDecision{
		{PostID: 10, Hash: strings.Repeat("a", 32), Decision: backend.ApprovalApproved},
		{PostID: 11, Hash: strings.Repeat("b", 32), Decision: backend.ApprovalChanges, Comment: "Otra foto, ¿sí? «gracias» 🍞\nY sin mayúsculas."},
	}}
	text := approval.EncodeAnswer(a)
	got, err := approval.DecodeAnswer("Hola,\naquí va:\n\n" + text + "\nSaludos")
	if err != nil {
		t.Fatal(err)
	}
	if got.PackageID != a.PackageID || got.WorkspaceID != a.WorkspaceID || got.ClientID != 3 || len(got.Decisions) != 2 || got.Decisions[1] != a.Decisions[1] {
		t.Fatalf("round trip: %+v", got)
	}
	// Quoted in a reply and re-wrapped by a mail program: still read.
	var quoted strings.Builder
	for _, l := range strings.Split(text, "\n") {
		if len(l) > 40 && !strings.HasPrefix(l, "-----") {
			quoted.WriteString("> " + l[:40] + "\n> " + l[40:] + "\n")
		} else {
			quoted.WriteString("> " + l + "\n")
		}
	}
	if _, err := approval.DecodeAnswer(quoted.String()); err != nil {
		t.Fatalf("quoted answer: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(text), "\n")
	flip := []byte(lines[1])
	if flip[5] == 'A' {
		flip[5] = 'B'
	} else {
		flip[5] = 'A'
	}
	for name, tc := range map[string]struct{ text, key string }{
		"not an answer":                     {"Hola, todo bien. Saludos", "approval.not_answer"},
		"empty":                             {"", "approval.not_answer"},
		"a PDF":                             {"%PDF-1.4 binary", "approval.not_answer"},
		"truncated":                         {strings.Join(lines[:len(lines)-2], "\n"), "approval.tampered"},
		"line lost":                         {strings.Join(append(append([]string{}, lines[:2]...), lines[3:]...), "\n"), "approval.tampered"},
		"one letter edited":                 {strings.Join(append(append(append([]string{}, lines[0]), string(flip)), lines[2:]...), "\n"), "approval.tampered"},
		"checksum recomputed on other JSON": {approval.EncodeAnswer(backend.ApprovalAnswer{PackageID: "x", WorkspaceID: a.WorkspaceID, ClientID: 3, Decisions: a.Decisions}), "approval.tampered"},
	} {
		_, err := approval.DecodeAnswer(tc.text)
		if e := backend.AsError(err); e == nil || e.Key != tc.key {
			t.Errorf("%s: got %v, want %s", name, err, tc.key)
		}
	}
}

// The page's answer, applied to the workspace, lands on the posts: the
// whole path from package to decisions, through the real store.
func TestPackageAnswerApplies(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "es")
	p := f.build(t)
	a := backend.ApprovalAnswer{PackageID: p.ID, WorkspaceID: f.ws, ClientID: f.client.ID, Decisions: []backend.ApprovalDecision{
		{PostID: p.Items[0].Post.ID, Hash: p.Items[0].Post.ContentHash, Decision: backend.ApprovalApproved},
		{PostID: p.Items[1].Post.ID, Hash: p.Items[1].Post.ContentHash, Decision: backend.ApprovalChanges, Comment: "más corto"},
	}}
	dec, err := approval.DecodeAnswer(approval.EncodeAnswer(a))
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.db.ApplyApprovalAnswer(ctx, dec)
	if err != nil || len(res.Approved) != 1 || len(res.Changes) != 1 {
		t.Fatalf("%v %+v", err, res)
	}
	post, _ := f.db.GetPost(ctx, p.Items[1].Post.ID)
	if post.Approval.Status != backend.ApprovalChanges || post.Approval.Comment != "más corto" {
		t.Fatalf("%+v", post.Approval)
	}
	// The next package shows the decisions taken.
	b, _ := approval.HTML(f.build(t))
	if !strings.Contains(string(b), `value="approved" checked`) || !strings.Contains(string(b), ">más corto</textarea>") {
		t.Error("a new package does not show the decisions already taken")
	}
}
