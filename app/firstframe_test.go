//go:build !dev

package app

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"pauta/backend"
)

var frameMetaRE = regexp.MustCompile(`<meta name="pauta-frame" content="([0-9a-f]{32})" data-day="(\d{4}-\d{2}-\d{2})"( data-closing="")?>`)

// framePage GETs the page and returns its body and the first screen's key.
func framePage(t *testing.T, srv http.Handler) (body, key, day string) {
	t.Helper()
	rec, _ := servePage(t, srv, "/", nil)
	body = rec.Body.String()
	m := frameMetaRE.FindStringSubmatch(body)
	if m == nil {
		return body, "", ""
	}
	return body, m[1], m[2]
}

// todayFrame is the file of the frame kept for the test's today.
func todayFrame(a *App) string {
	return framePath(a.cfg.DataDir, testNow.In(time.Local).Format(time.DateOnly))
}

const drawn = `<!----><a class="skip-link" href="#calendar">Skip</a> <div class="shell"><h1 data-testid="cal-title">November 2026</h1></div>`

// A frame kept for a page is served again only while everything it was
// drawn from is the same: the month's posts, the day. A change outside the
// first screen (a post in another month) leaves it valid.
func TestFirstFrameIsServedOnlyForTheSameData(t *testing.T) {
	a, srv := servedBy(t, fstest.MapFS{"index.html": {Data: []byte(shell)}})
	c, err := a.Clients.Save(ClientInput{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"})
	if err != nil {
		t.Fatal(err)
	}
	body, key, day := framePage(t, srv)
	if key == "" || day != testNow.In(time.Local).Format(time.DateOnly) || strings.Contains(body, "data-frame") {
		t.Fatalf("first page: key %q day %q\n%s", key, day, body)
	}
	// The one file of before frames were kept by day goes when one is kept.
	legacy := filepath.Join(a.cfg.DataDir, legacyFrameFile)
	if err := os.WriteFile(legacy, []byte(frameHeader+key+"\n{}\n"+drawn), 0o600); err != nil {
		t.Fatal(err)
	}
	if body, _, _ := framePage(t, srv); strings.Contains(body, "data-frame") {
		t.Fatal("the file of before was served")
	}
	if err := a.Settings.SaveFirstFrame(key, drawn, map[string]string{"pauta.ideasOpen": "1", "pauta.noPrefetch": ""}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(legacy); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the file of before is still there: %v", err)
	}
	fi, err := os.Stat(todayFrame(a))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("frame file: %v %v", fi, err)
	}
	want := `<div id="app"><div data-frame inert data-flags="{&#34;pauta.ideasOpen&#34;:&#34;1&#34;,&#34;pauta.noPrefetch&#34;:&#34;&#34;}">` +
		drawn + `</div></div><script src="/first-frame.js"></script>`
	body, again, _ := framePage(t, srv)
	if again != key || !strings.Contains(body, want) {
		t.Fatalf("same data: key %q (was %q), page\n%s", again, key, body)
	}

	// A draft next year is not on the first screen: same key, same frame.
	if _, err := a.Posts.Save(PostInput{ClientID: c.ID, Status: "draft", Text: "later", Date: "2027-06-01", Time: "10:00"}); err != nil {
		t.Fatal(err)
	}
	if body, k, _ := framePage(t, srv); k != key || !strings.Contains(body, want) {
		t.Fatalf("a change off the first screen moved the key: %q", k)
	}

	// A post this month: another key, no frame.
	if _, err := a.Posts.Save(PostInput{ClientID: c.ID, Status: "draft", Text: "now", Date: "2026-11-26", Time: "10:00"}); err != nil {
		t.Fatal(err)
	}
	body, moved, _ := framePage(t, srv)
	if moved == "" || moved == key || strings.Contains(body, "data-frame") || strings.Contains(body, "first-frame.js") {
		t.Fatalf("after a post this month: key %q, page\n%s", moved, body)
	}
	if err := a.Settings.SaveFirstFrame(moved, drawn, nil); err != nil {
		t.Fatal(err)
	}
	if body, _, _ := framePage(t, srv); !strings.Contains(body, `<div data-frame inert data-flags="{}">`) {
		t.Fatalf("new frame not served:\n%s", body)
	}

	// The next day: another key (today's mark moves), no frame.
	a.cfg.Clock = backend.FixedClock{T: testNow.Add(24 * time.Hour)}
	body, tomorrow, day := framePage(t, srv)
	if tomorrow == moved || day != testNow.Add(24*time.Hour).In(time.Local).Format(time.DateOnly) || strings.Contains(body, "data-frame") {
		t.Fatalf("next day: key %q day %q\n%s", tomorrow, day, body)
	}
}

// The key: the page as built, the data without its change count, the date.
func TestFrameKey(t *testing.T) {
	fs := FirstScreen{Settings: Settings{Language: "es"}, Networks: []string{"x"}, Calendar: &FirstCalendar{From: "2026-10-26", To: "2026-12-06"}}
	k := func(page string, fs FirstScreen, now time.Time) string {
		key, err := frameKey([]byte(page), fs, nil, now)
		if data, _ := json.Marshal(fs); err == nil {
			if again, _ := frameKey([]byte(page), fs, data, now); again != key {
				t.Fatalf("key from the encoded data %q, from the data %q", again, key)
			}
		}
		if err != nil || !frameKeyRE.MatchString(key) {
			t.Fatalf("key %q: %v", key, err)
		}
		return key
	}
	base := k(shell, fs, testNow)
	counted := fs
	counted.Changes = 7
	if k(shell, counted, testNow) != base {
		t.Error("the change count moved the key")
	}
	if k(shell, fs, testNow.Add(time.Hour)) != base {
		t.Error("an hour later the same day moved the key")
	}
	it := fs
	it.Settings.Language = "it"
	madrid, _ := time.LoadLocation("Europe/Madrid")
	for name, other := range map[string]string{
		"another build": k(strings.Replace(shell, "<title>", "<title>v2 ", 1), fs, testNow),
		"another day":   k(shell, fs, testNow.Add(24*time.Hour)),
		"another zone":  k(shell, fs, testNow.In(madrid)),
		"another lang":  k(shell, it, testNow),
	} {
		if other == base {
			t.Errorf("%s: same key", name)
		}
	}
}

// What the page sends is kept only when it is a drawn first screen for a
// page this window served; anything else is refused and nothing is written.
func TestSaveFirstFrameRefuses(t *testing.T) {
	a, srv := servedBy(t, fstest.MapFS{"index.html": {Data: []byte(shell)}})
	if _, err := a.Clients.Save(ClientInput{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"}); err != nil {
		t.Fatal(err)
	}
	_, key, _ := framePage(t, srv)
	many := map[string]string{}
	for i := 0; i < 17; i++ {
		many["pauta.f"+itoa(int64(i))] = "1"
	}
	for name, c := range map[string]struct {
		key, markup string
		flags       map[string]string
	}{
		"a key not served": {strings.Repeat("ab", 16), drawn, nil},
		"not a key":        {"../../etc/passwd", drawn, nil},
		"a script":         {key, drawn + `<script>alert(1)</script>`, nil},
		"an iframe":        {key, `<IFRAME src="https://example.com"></IFRAME>`, nil},
		"a base":           {key, `<base href="https://example.com/">` + drawn, nil},
		"nothing":          {key, "", nil},
		"too big":          {key, strings.Repeat("<p>x</p>", maxFrame/8+1), nil},
		"another storage":  {key, drawn, map[string]string{"other.key": "1"}},
		"not on/off":       {key, drawn, map[string]string{"pauta.ideasOpen": "yes"}},
		"too many choices": {key, drawn, many},
	} {
		if err := a.Settings.SaveFirstFrame(c.key, c.markup, c.flags); !errors.Is(err, ErrFrame) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := os.Stat(todayFrame(a)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a refused frame was written: %v", err)
	}
	if body, _, _ := framePage(t, srv); strings.Contains(body, "data-frame") {
		t.Fatal("a refused frame was served")
	}
}

// A frame file that is not one (cut short, edited, another workspace's) is
// not served; Forget removes it, and forgetting none is no error.
func TestStoredFrameThatIsNotOneIsNotServed(t *testing.T) {
	a, srv := servedBy(t, fstest.MapFS{"index.html": {Data: []byte(shell)}})
	if _, err := a.Clients.Save(ClientInput{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"}); err != nil {
		t.Fatal(err)
	}
	_, key, _ := framePage(t, srv)
	file := todayFrame(a)
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{
		"cut in the header":  frameHeader + key[:10],
		"no flags line":      frameHeader + key + "\n",
		"flags not JSON":     frameHeader + key + "\n{nope\n" + drawn,
		"no markup":          frameHeader + key + "\n{}\n",
		"a script added":     frameHeader + key + "\n{}\n" + drawn + "<script src=/x.js></script>",
		"another version":    "pauta-frame 2\n" + key + "\n{}\n" + drawn,
		"another key":        frameHeader + strings.Repeat("0", 32) + "\n{}\n" + drawn,
		"not a frame at all": "\x89PNG\r\n\x1a\n",
	} {
		if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if body, _, _ := framePage(t, srv); strings.Contains(body, "data-frame") {
			t.Errorf("%s: served\n%s", name, body)
		}
	}

	// Another workspace's frame, copied here with the same data: its key has
	// the other folder in it (settings), so it is not served here.
	b, srvB := servedBy(t, fstest.MapFS{"index.html": {Data: []byte(shell)}})
	if _, err := b.Clients.Save(ClientInput{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"}); err != nil {
		t.Fatal(err)
	}
	_, keyB, _ := framePage(t, srvB)
	if err := b.Settings.SaveFirstFrame(keyB, drawn, nil); err != nil {
		t.Fatal(err)
	}
	if keyB == key {
		t.Fatal("two workspaces, one key")
	}
	kept, _ := os.ReadFile(todayFrame(b))
	if err := os.WriteFile(file, kept, 0o600); err != nil {
		t.Fatal(err)
	}
	if body, _, _ := framePage(t, srv); strings.Contains(body, "data-frame") {
		t.Error("another workspace's frame served")
	}

	if err := a.Settings.SaveFirstFrame(key, drawn, nil); err != nil {
		t.Fatal(err)
	}
	if body, _, _ := framePage(t, srv); !strings.Contains(body, "data-frame") {
		t.Fatal("own frame not served")
	}
	for i := 0; i < 2; i++ {
		if err := a.Settings.ForgetFirstFrame(); err != nil {
			t.Fatalf("forget %d: %v", i, err)
		}
	}
	if body, _, _ := framePage(t, srv); strings.Contains(body, "data-frame") {
		t.Error("forgotten frame served")
	}
}

// A first run has no calendar: no key, nothing to keep.
func TestFirstRunHasNoFrameKey(t *testing.T) {
	_, srv := servedBy(t, fstest.MapFS{"index.html": {Data: []byte(shell)}})
	if body, key, _ := framePage(t, srv); key != "" || strings.Contains(body, frameMeta) {
		t.Fatalf("first run: key %q", key)
	}
}

func TestHasForbiddenTag(t *testing.T) {
	for markup, want := range map[string]bool{
		drawn:                                 false,
		`<p>&lt;script&gt;alert(1)</p>`:       false,
		`<script-x></script-x><scripts>`:      false,
		`<p title="x<y">a < b</p>`:            false,
		`<SCRIPT>x</SCRIPT>`:                  true,
		`<p>a</p><script/src=x>`:              true,
		`<svg><Script href=x></Script></svg>`: true,
		`<frameset>`:                          true,
		`<style>@import url(x)</style>`:       true,
		`<meta http-equiv=refresh content=0>`: true,
		`<link rel=stylesheet href=x>`:        true,
		`x<base`:                              true,
		`<template><p></p></template>`:        true,
		`<`:                                   false,
	} {
		if got := hasForbiddenTag([]byte(markup)); got != want {
			t.Errorf("%q: %v", markup, got)
		}
	}
}
