//go:build !dev

package app

import (
	"context"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
)

// fakeWindow stands in for the Wails window; reload runs onReload as the
// page loaded again would (on its own goroutine, as the web view does).
type fakeWindow struct {
	mu               sync.Mutex
	hidden, reloaded int
	onReload         func()
}

func (f *fakeWindow) Hide(context.Context) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hidden++
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

// Closing with a frame that is current (or nothing to keep) closes at once;
// closing after the month changed hides the window, loads its page again
// (served marked as closing), keeps the frame that page draws, and closes as
// soon as the page says so: the next start finds the frame for the data as
// it is now.
func TestClosingKeepsTheFrameForTheDataAsItIsNow(t *testing.T) {
	a, srv := servedBy(t, fstest.MapFS{"index.html": {Data: []byte(shell)}})
	w := &fakeWindow{}
	a.closeFrame.window, a.closeFrame.wait = w, 10*time.Second
	closes := func() (prevented bool, took time.Duration) {
		t.Helper()
		a.closeFrame.closing.Store(false) // each case is a new closing
		start := time.Now()
		prevented = a.beforeClose(context.Background())
		return prevented, time.Since(start)
	}
	c, err := a.Clients.Save(ClientInput{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"})
	if err != nil {
		t.Fatal(err)
	}
	// No page served yet: nothing to keep.
	if p, _ := closes(); p || w.hidden != 0 {
		t.Fatalf("no page yet: prevented %v, hidden %d", p, w.hidden)
	}
	_, key, _ := framePage(t, srv)
	if err := a.Settings.SaveFirstFrame(key, drawn, nil); err != nil {
		t.Fatal(err)
	}
	// The kept frame is current: closes at once.
	if p, _ := closes(); p || w.hidden != 0 {
		t.Fatalf("current frame: prevented %v, hidden %d", p, w.hidden)
	}

	// The month changes during the session.
	if _, err := a.Posts.Save(PostInput{ClientID: c.ID, Status: "draft", Text: "new", Date: "2026-11-26", Time: "10:00"}); err != nil {
		t.Fatal(err)
	}
	const redrawn = `<div class="shell"><h1 data-testid="cal-title">November 2026</h1><p>new</p></div>`
	var served string
	w.onReload = func() {
		body, k, _ := framePage(t, srv)
		served = body
		if err := a.Settings.SaveFirstFrame(k, redrawn, nil); err != nil {
			t.Error(err)
		}
		a.Settings.FirstFrameDone()
	}
	p, took := closes()
	if h, r := w.counts(); p || h != 1 || r != 1 || took > 5*time.Second {
		t.Fatalf("stale frame: prevented %v, hidden %d, reloaded %d, took %v", p, h, r, took)
	}
	if !strings.Contains(served, `data-closing=""`) || strings.Contains(served, "data-frame") {
		t.Fatalf("the closing page was served as\n%s", served)
	}
	// Runtime.Quit runs it again: it goes on at once.
	if a.beforeClose(context.Background()) {
		t.Fatal("second call prevented the close")
	}
	if h, r := w.counts(); h != 1 || r != 1 {
		t.Fatalf("second call hid %d, reloaded %d", h, r)
	}
	// The next start serves the frame drawn for the data as it is now.
	a.closeFrame.closing.Store(false)
	if body, _, _ := framePage(t, srv); !strings.Contains(body, redrawn) {
		t.Fatalf("next start:\n%s", body)
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
