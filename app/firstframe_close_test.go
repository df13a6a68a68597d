//go:build !dev

package app

import (
	"context"
	"errors"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"pauta/backend"
)

// fakeWindow stands in for the Wails window; reload runs onReload as the
// page loaded again would (on its own goroutine, as the web view does).
type fakeWindow struct {
	mu                      sync.Mutex
	hidden, reloaded, shown int
	onReload                func()
}

func (f *fakeWindow) Hide(context.Context) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hidden++
}

func (f *fakeWindow) Show(context.Context) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.shown++
}

func (f *fakeWindow) Reload(context.Context) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reloaded++
	if f.onReload != nil {
		go f.onReload()
	}
}

func (f *fakeWindow) counts() (int, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hidden, f.reloaded
}

// drawnFor is a first screen as a page drawn for day would be, with what
// else is on it.
func drawnFor(day, more string) string {
	return `<div class="shell"><h1 data-testid="cal-title">` + day + `</h1>` + more + `</div>`
}

var clockMetaRE = regexp.MustCompile(`<meta name="pauta-clock" content="(-?\d+)">`)

// pageClock is the page's clock shift (0: none in the page).
func pageClock(t *testing.T, body string) time.Duration {
	t.Helper()
	m := clockMetaRE.FindStringSubmatch(body)
	if m == nil {
		return 0
	}
	ms, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return time.Duration(ms) * time.Millisecond
}

// closingPages answers a closing window's reloads as its page does: the
// page served is drawn and kept (drawnFor its day, with more), then the
// window is told. It returns the pages served.
func closingPages(t *testing.T, a *App, srv http.Handler, w *fakeWindow, more *string) func() []string {
	var mu sync.Mutex
	var pages []string
	w.onReload = func() {
		body, key, day := framePage(t, srv)
		mu.Lock()
		pages = append(pages, body)
		mu.Unlock()
		if key != "" {
			if err := a.Settings.SaveFirstFrame(key, drawnFor(day, *more), nil); err != nil {
				t.Error(err)
			}
		}
		a.Settings.FirstFrameDone()
	}
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		out := pages
		pages = nil
		return out
	}
}

// Closing keeps today's frame and the next day's current: for each whose
// kept frame is not the one for the data as it is now, the window (hidden)
// loads its page again served as of that day, marked as closing, keeps the
// frame that page draws, and closes once the pages have said so. The next
// start, today or tomorrow, finds its frame.
func TestClosingKeepsTheFramesForTheDataAsItIsNow(t *testing.T) {
	a, srv := servedBy(t, fstest.MapFS{"index.html": {Data: []byte(shell)}})
	w := &fakeWindow{}
	a.closeFrame.window, a.closeFrame.wait = w, 10*time.Second
	more := ""
	served := closingPages(t, a, srv, w, &more)
	closes := func() (prevented bool, took time.Duration) {
		t.Helper()
		a.closeFrame.closing.Store(false) // each case is a new closing
		start := time.Now()
		prevented = a.beforeClose(context.Background())
		return prevented, time.Since(start)
	}
	local := testNow.In(time.Local)
	today, tomorrow := local.Format(time.DateOnly), local.AddDate(0, 0, 1).Format(time.DateOnly)
	c, err := a.Clients.Save(ClientInput{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"})
	if err != nil {
		t.Fatal(err)
	}
	// No page served yet: nothing to keep.
	if p, _ := closes(); p || w.hidden != 0 {
		t.Fatalf("no page yet: prevented %v, hidden %d", p, w.hidden)
	}
	// A start keeps today's frame.
	_, key, day := framePage(t, srv)
	if err := a.Settings.SaveFirstFrame(key, drawnFor(day, ""), nil); err != nil || day != today {
		t.Fatal(day, err)
	}

	// Closing: today's is current, the next day's is drawn by a page served
	// as of tomorrow, with its clock a day ahead of the app's.
	p, took := closes()
	if h, r := w.counts(); p || h != 1 || r != 1 || took > 5*time.Second {
		t.Fatalf("closing: prevented %v, hidden %d, reloaded %d, took %v", p, h, r, took)
	}
	pages := served()
	if len(pages) != 1 || !strings.Contains(pages[0], `data-day="`+tomorrow+`" data-closing=""`) {
		t.Fatalf("the closing page was served as\n%s", pages)
	}
	want := local.AddDate(0, 0, 1).Sub(time.Now()) // the page's clock: the app's (testNow), a day on
	if got := pageClock(t, pages[0]); got < want-2*time.Second || got > want+2*time.Second {
		t.Fatalf("the next day's page runs %v from the laptop's clock, want %v", got, want)
	}
	// Both current: closes at once.
	if p, _ := closes(); p || w.hidden != 1 {
		t.Fatalf("current frames: prevented %v, hidden %d", p, w.hidden)
	}

	// The month changes during the session: both frames are drawn again, today's first.
	if _, err := a.Posts.Save(PostInput{ClientID: c.ID, Status: "draft", Text: "new", Date: "2026-11-26", Time: "10:00"}); err != nil {
		t.Fatal(err)
	}
	more = "<p>new</p>"
	p, took = closes()
	if h, r := w.counts(); p || h != 2 || r != 3 || took > 5*time.Second {
		t.Fatalf("stale frames: prevented %v, hidden %d, reloaded %d, took %v", p, h, r, took)
	}
	pages = served()
	if len(pages) != 2 || !strings.Contains(pages[0], `data-day="`+today+`" data-closing=""`) ||
		!strings.Contains(pages[1], `data-day="`+tomorrow+`" data-closing=""`) || strings.Contains(pages[0]+pages[1], "data-frame") {
		t.Fatalf("the closing pages were served as\n%s", pages)
	}
	// Runtime.Quit runs it again: it goes on at once.
	if a.beforeClose(context.Background()) {
		t.Fatal("second call prevented the close")
	}
	if h, r := w.counts(); h != 2 || r != 3 {
		t.Fatalf("second call hid %d, reloaded %d", h, r)
	}

	// The next start serves today's frame, with the laptop's clock.
	a.closeFrame.closing.Store(false)
	body, _, _ := framePage(t, srv)
	if !strings.Contains(body, drawnFor(today, more)) || strings.Contains(body, `data-closing`) {
		t.Fatalf("next start:\n%s", body)
	}
	// The first start of the next day serves the frame drawn on closing;
	// keeping a frame then lets yesterday's go.
	a.cfg.Clock = backend.FixedClock{T: testNow.AddDate(0, 0, 1)}
	body, key, day = framePage(t, srv)
	if day != tomorrow || !strings.Contains(body, drawnFor(tomorrow, more)) {
		t.Fatalf("next day's start:\n%s", body)
	}
	if _, err := os.Stat(framePath(a.cfg.DataDir, today)); err != nil {
		t.Fatal(err)
	}
	if err := a.Settings.SaveFirstFrame(key, drawnFor(day, more), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(framePath(a.cfg.DataDir, today)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("yesterday's frame kept: %v", err)
	}
}

// A second start on the workspace while the window is closing keeps it
// open: it is loaded again as of now (not as of the next day) and shown.
func TestSecondStartWhileClosingKeepsTheWindow(t *testing.T) {
	a, srv := servedBy(t, fstest.MapFS{"index.html": {Data: []byte(shell)}})
	w := &fakeWindow{}
	a.closeFrame.window, a.closeFrame.wait = w, 10*time.Second
	if _, err := a.Clients.Save(ClientInput{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"}); err != nil {
		t.Fatal(err)
	}
	_, key, day := framePage(t, srv)
	if err := a.Settings.SaveFirstFrame(key, drawnFor(day, ""), nil); err != nil {
		t.Fatal(err)
	}
	if a.stopClosing() {
		t.Fatal("stopped a window that was not closing")
	}
	// The next day's page is being drawn when the second start comes.
	var aheadPage string
	w.onReload = func() {
		aheadPage, _, _ = framePage(t, srv)
		w.onReload = nil
		if !a.stopClosing() {
			t.Error("a closing window was not stopped")
		}
	}
	start := time.Now()
	if !a.beforeClose(context.Background()) {
		t.Fatal("the window closed after a second start")
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("took %v", took)
	}
	w.mu.Lock()
	h, r, s := w.hidden, w.reloaded, w.shown
	w.mu.Unlock()
	if h != 1 || r != 2 || s != 1 {
		t.Fatalf("hidden %d, reloaded %d, shown %d", h, r, s)
	}
	if !strings.Contains(aheadPage, "data-closing") {
		t.Fatalf("the closing page:\n%s", aheadPage)
	}
	body, _, d := framePage(t, srv)
	if d != day || strings.Contains(body, "data-closing") || !strings.Contains(body, drawnFor(day, "")) {
		t.Fatalf("the window came back as\n%s", body)
	}
	if want := testNow.Sub(time.Now()); pageClock(t, body) > want+2*time.Second || pageClock(t, body) < want-2*time.Second {
		t.Fatalf("the page came back with clock %v", pageClock(t, body))
	}
	if a.stopClosing() {
		t.Fatal("stopped twice")
	}
	// Closing again later works as before.
	w.onReload = nil
	a.closeFrame.wait = 100 * time.Millisecond
	if a.beforeClose(context.Background()) {
		t.Fatal("prevented")
	}
}

// A closing page that never answers holds the close up for the wait only.
func TestClosingDoesNotWaitLongerForAPageThatDoesNotAnswer(t *testing.T) {
	a, srv := servedBy(t, fstest.MapFS{"index.html": {Data: []byte(shell)}})
	w := &fakeWindow{}
	a.closeFrame.window, a.closeFrame.wait = w, 150*time.Millisecond
	if _, err := a.Clients.Save(ClientInput{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"}); err != nil {
		t.Fatal(err)
	}
	framePage(t, srv) // a page served, no frame kept
	start := time.Now()
	if a.beforeClose(context.Background()) {
		t.Fatal("prevented")
	}
	if took := time.Since(start); took < 150*time.Millisecond || took > 3*time.Second {
		t.Fatalf("closed after %v", took)
	}
	if h, r := w.counts(); h != 1 || r != 1 {
		t.Fatalf("hidden %d, reloaded %d", h, r)
	}
	a.Settings.FirstFrameDone() // a late answer: nothing to do, no panic
	a.Settings.FirstFrameDone()
}
