//go:build !dev

package app

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

var dataBlock = regexp.MustCompile(`(?s)<script type="application/json" id="` + FirstScreenID + `">(.*?)</script>`)

const shell = "<!doctype html><html><head><title>Pauta</title></head><body><div id=\"app\"></div></body></html>"

// servePage GETs path from the window's asset handler and returns the
// response and the decoded first screen ("" block: nil).
func servePage(t *testing.T, srv http.Handler, path string, hdr map[string]string) (*httptest.ResponseRecorder, *FirstScreen) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d", path, rec.Code)
	}
	m := dataBlock.FindAllStringSubmatch(rec.Body.String(), -1)
	if len(m) == 0 {
		return rec, nil
	}
	if len(m) > 1 {
		t.Fatalf("%d data blocks", len(m))
	}
	var fs FirstScreen
	if err := json.Unmarshal([]byte(m[0][1]), &fs); err != nil {
		t.Fatalf("data block: %v\n%s", err, m[0][1])
	}
	return rec, &fs
}

// The month grid the page asks for in month view: 42 days from the Monday
// on or before the 1st (the same cases as dates.test.ts checks in TS).
func TestMonthGridMatchesTheCalendarsMonthView(t *testing.T) {
	for _, c := range []struct{ day, from, to string }{
		{"2026-11-24", "2026-10-26", "2026-12-06"}, // 1 Nov 2026 is a Sunday
		{"2026-12-06", "2026-11-30", "2027-01-10"},
		{"2026-06-30", "2026-06-01", "2026-07-12"}, // 1 June 2026 is a Monday
		{"2027-02-01", "2027-02-01", "2027-03-14"},
		{"2024-02-29", "2024-01-29", "2024-03-10"},
	} {
		d, _ := time.Parse(time.DateOnly, c.day)
		from, to := monthGrid(d)
		if got := from.Format(time.DateOnly) + " " + to.Format(time.DateOnly); got != c.from+" "+c.to {
			t.Errorf("%s: %s, want %s %s", c.day, got, c.from, c.to)
		}
	}
}

// The served page carries exactly what the bound calls would answer for
// the first screen: settings, workspace, networks, this month's posts of
// every client and the ideas — so the page can paint from it.
func TestServedPageCarriesTheFirstScreen(t *testing.T) {
	a, srv := servedBy(t, fstest.MapFS{"index.html": {Data: []byte(shell)}})
	c, err := a.Clients.Save(ClientInput{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"})
	if err != nil {
		t.Fatal(err)
	}
	ig, err := a.Clients.AddAccount(AccountInput{ClientID: c.ID, Network: "facebook", Handle: "@sol"})
	if err != nil {
		t.Fatal(err)
	}
	// Text that would end the element and run script if written raw.
	evil := `Pan </script><script>alert(1)</script> & <!-- café`
	for _, p := range []PostInput{
		{ClientID: c.ID, Status: "scheduled", Text: evil, Date: "2026-11-25", Time: "09:30", Variants: []VariantInput{{AccountID: ig.ID}}},
		{ClientID: c.ID, Status: "draft", Text: "in the grid's last week", Date: "2026-12-06", Time: "18:00"},
		{ClientID: c.ID, Status: "draft", Text: "next month", Date: "2026-12-20", Time: "18:00"},
		{ClientID: c.ID, Status: "idea", Text: "an idea"},
	} {
		if _, err := a.Posts.Save(p); err != nil {
			t.Fatal(err)
		}
	}
	for _, path := range []string{"/", "/index.html"} {
		rec, fs := servePage(t, srv, path, map[string]string{"If-None-Match": `"x"`, "If-Modified-Since": time.Now().UTC().Format(http.TimeFormat)})
		if fs == nil {
			t.Fatalf("%s: no first screen in\n%s", path, rec.Body.String())
		}
		body := rec.Body.String()
		if strings.Count(body, "</script>") != 1 || strings.Contains(body, "alert(1)</script>") {
			t.Errorf("%s: the post's text escaped its element:\n%s", path, body)
		}
		if rec.Header().Get("Cache-Control") != "no-store" || rec.Header().Get("ETag") != "" {
			t.Errorf("%s: cacheable page: %v", path, rec.Header())
		}
		// The platform's fonts come before the data (here, on Linux: the
		// fontconfig default instead of system-ui).
		if font := platformFonts(runtime.GOOS); !strings.Contains(body, font+`<script type="application/json"`) {
			t.Errorf("%s: no font block %q before the data:\n%.400s", path, font, body)
		}
		if got := rec.Header().Get("Content-Length"); got != "" && got != itoa(int64(rec.Body.Len())) {
			t.Errorf("%s: Content-Length %s for %d bytes", path, got, rec.Body.Len())
		}
		settings, _ := a.Settings.Get()
		ws, _ := a.Clients.Workspace(true)
		if !reflect.DeepEqual(fs.Settings, settings) || !reflect.DeepEqual(fs.Workspace, ws) || !reflect.DeepEqual(fs.Networks, a.Clients.Networks()) {
			t.Errorf("%s: settings/workspace/networks differ: %+v", path, fs)
		}
		cal := fs.Calendar
		if cal == nil || cal.ClientID != 0 || cal.From != "2026-10-26" || cal.To != "2026-12-06" {
			t.Fatalf("%s: calendar %+v", path, cal)
		}
		posts, _ := a.Posts.Calendar(PostQuery{From: cal.From, To: cal.To})
		ideas, _ := a.Posts.Ideas(0)
		if len(posts) != 2 || !reflect.DeepEqual(cal.Posts, posts) || len(ideas) != 1 || !reflect.DeepEqual(cal.Ideas, ideas) {
			t.Errorf("%s: posts %+v ideas %+v, List gives %+v, Ideas %+v", path, cal.Posts, cal.Ideas, posts, ideas)
		}
		if cal.Posts[0].Snippet != evil || cal.Posts[0].Variants[0].Network != "facebook" {
			t.Errorf("%s: first post %+v", path, cal.Posts[0])
		}
	}
	// Other files pass untouched.
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/favicon.svg", nil))
	if strings.Contains(rec.Body.String(), FirstScreenID) {
		t.Error("data block outside the page")
	}
}

// On a first run the page learns it at once and gets no calendar.
func TestFirstScreenOfAFirstRun(t *testing.T) {
	_, srv := servedBy(t, fstest.MapFS{"index.html": {Data: []byte(shell)}})
	_, fs := servePage(t, srv, "/", nil)
	if fs == nil || !fs.Settings.FirstRun || fs.Calendar != nil || len(fs.Workspace.Clients) != 0 || len(fs.Networks) == 0 {
		t.Fatalf("first run: %+v", fs)
	}
}

// The page's count of changes: what Changes answered when it was read. A
// change after that (before the page listens) moves Changes on, which is
// how the page knows to refetch.
func TestFirstScreenCountsChanges(t *testing.T) {
	a, srv := servedBy(t, fstest.MapFS{"index.html": {Data: []byte(shell)}})
	before := a.Settings.Changes()
	c, err := a.Clients.Save(ClientInput{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Settings.Changes() <= before {
		t.Fatalf("saving a client did not count: %d", a.Settings.Changes())
	}
	_, fs := servePage(t, srv, "/", nil)
	if fs == nil || fs.Changes != a.Settings.Changes() {
		t.Fatalf("page count %+v, Changes %d", fs, a.Settings.Changes())
	}
	if _, err := a.Posts.Save(PostInput{ClientID: c.ID, Status: "draft", Text: "x", Date: "2026-11-25", Time: "09:30"}); err != nil {
		t.Fatal(err)
	}
	if a.Settings.Changes() == fs.Changes {
		t.Error("saving a post did not move the count on")
	}
	n := a.Settings.Changes()
	a.emitter.Emit(EventMediaChanged, c.ID) // not shown by the first screen: not counted
	if a.Settings.Changes() != n {
		t.Error("a media event counted")
	}
}

// When the data cannot be read the page is served without it (the page
// then asks through the bound calls and shows their error).
func TestPageWithoutFirstScreenWhenItCannotBeRead(t *testing.T) {
	a, srv := servedBy(t, fstest.MapFS{"index.html": {Data: []byte(shell)}})
	a.store.Close()
	rec, fs := servePage(t, srv, "/", nil)
	if fs != nil || !strings.Contains(rec.Body.String(), `<div id="app">`) {
		t.Fatalf("page %s", rec.Body.String())
	}
}

func TestPlatformFonts(t *testing.T) {
	if got := platformFonts("linux"); !strings.Contains(got, "--ui-font:sans-serif") || !strings.HasPrefix(got, "<style>") {
		t.Errorf("linux: %q", got)
	}
	for _, goos := range []string{"windows", "darwin"} {
		if got := platformFonts(goos); got != "" {
			t.Errorf("%s: %q (its system-ui is the UI font, and fast)", goos, got)
		}
	}
}

// The background loops start once the window's first page has been served
// (so it is served the data as the window last closed on), or after the
// wait without one; never once the window has gone.
func TestLoopsWaitForTheFirstPage(t *testing.T) {
	a, srv := servedBy(t, fstest.MapFS{"index.html": {Data: []byte(shell)}})
	started := make(chan time.Time, 1)
	a.firstPage.then(context.Background(), time.Minute, func() { started <- time.Now() })
	select {
	case <-started:
		t.Fatal("started before the first page")
	case <-time.After(50 * time.Millisecond):
	}
	served := time.Now()
	servePage(t, srv, "/", nil)
	select {
	case at := <-started:
		if at.Before(served) {
			t.Fatal("started before the page was served")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("not started after the first page")
	}
	// Once served, at once.
	a.firstPage.then(context.Background(), time.Minute, func() { started <- time.Now() })
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("not started after the first page had been served")
	}

	// No page: after the wait. The window gone: never.
	b, _ := servedBy(t, fstest.MapFS{"index.html": {Data: []byte(shell)}})
	begin := time.Now()
	b.firstPage.then(context.Background(), 100*time.Millisecond, func() { started <- time.Now() })
	if at := <-started; at.Sub(begin) < 100*time.Millisecond {
		t.Fatalf("started after %v without a page", at.Sub(begin))
	}
	ctx, cancel := context.WithCancel(context.Background())
	b.firstPage.then(ctx, 100*time.Millisecond, func() { started <- time.Now() })
	cancel()
	select {
	case <-started:
		t.Fatal("started after the window had gone")
	case <-time.After(300 * time.Millisecond):
	}
}
