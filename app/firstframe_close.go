package app

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Keeping the first frames current when the window closes (#18). A start
// keeps the frame it draws, but a session changes the first screen (posts
// saved, published, moved): the next start would find the kept frame stale
// and draw the calendar itself. And a frame is for one day (today's mark,
// the month shown), so the first start of the next day would never find
// one. So when the window is closed, for today and for each of the next
// framesAhead days whose kept frame is not the one for the data as it is
// now, the window is hidden and its page loaded again, served as of that
// day (pageNow: its data, its key, and the page's clock, lib/clock.ts): a
// start like any other, which draws that day's first screen and keeps it,
// then tells the app to go on (SettingsService.FirstFrameDone). The pages
// together may hold the quit up for closeWait at most.
//
// A second start on the workspace while the window is closing (handed over
// by the single-instance lock) stops the closing: the window is loaded
// again as of now and shown, and stays open.

// closeWait is how long a closing window waits for its pages to keep the frames.
const closeWait = 3 * time.Second

// framesAhead is how many days after today a closing window draws the first
// frame for: the next day's first start paints from its page.
const framesAhead = 1

// windowControl is what closing does with the window (the Wails runtime; a
// fake in tests).
type windowControl interface {
	Hide(ctx context.Context)
	Show(ctx context.Context)
	Reload(ctx context.Context)
}

type wailsWindow struct{}

func (wailsWindow) Hide(ctx context.Context)   { runtime.WindowHide(ctx) }
func (wailsWindow) Reload(ctx context.Context) { runtime.WindowReload(ctx) }
func (wailsWindow) Show(ctx context.Context) {
	runtime.WindowShow(ctx)
	runtime.WindowUnminimise(ctx) // on Linux this presents (raises) the window
}

// closeState is the window's closing: once it has begun, the page served is
// marked so that it keeps its frame and answers, and is served as of ahead
// days after today; lastPage is the index page as built, for the key of the
// data as it is at closing time.
type closeState struct {
	closing  atomic.Bool
	ahead    atomic.Int32
	lastPage atomic.Pointer[[]byte]
	mu       sync.Mutex
	done     chan struct{} // the page kept its frame
	stop     chan struct{} // a second start: the window stays
	window   windowControl
	wait     time.Duration
}

// beforeClose is the window's OnBeforeClose (Wails runs it on its own
// goroutine, also for runtime.Quit). It delays the close by closeWait at
// most while the pages keep the first frames, and prevents it only when a
// second start asks for the window meanwhile.
func (a *App) beforeClose(ctx context.Context) (prevent bool) {
	c := &a.closeFrame
	if !c.closing.CompareAndSwap(false, true) {
		return false
	}
	c.mu.Lock()
	w, wait := c.window, c.wait
	stop := make(chan struct{})
	c.stop = stop
	c.mu.Unlock()
	if w == nil {
		w = wailsWindow{}
	}
	if wait == 0 {
		wait = closeWait
	}
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	hidden := false
	// A second start: the window comes back as of now, and stays.
	stay := func() bool {
		c.ahead.Store(0)
		c.closing.Store(false)
		if hidden {
			w.Reload(ctx)
		}
		w.Show(ctx)
		return true
	}
	for days, current := range a.framesCurrent() {
		if current {
			continue
		}
		c.mu.Lock()
		done := make(chan struct{})
		c.done = done
		c.mu.Unlock()
		c.ahead.Store(int32(days))
		if !hidden {
			w.Hide(ctx)
			hidden = true
		}
		w.Reload(ctx)
		select {
		case <-done:
			continue
		case <-stop:
			return stay()
		case <-deadline.C:
		case <-ctx.Done():
		}
		break
	}
	c.mu.Lock()
	c.stop = nil // from here the app quits: too late to stay
	c.mu.Unlock()
	select {
	case <-stop: // came while nothing was awaited
		return stay()
	default:
		return false
	}
}

// stopClosing is a second start's hand-over: a window that is closing stays
// open (beforeClose shows it again). False when the window is not closing:
// the caller brings it forward itself.
func (a *App) stopClosing() bool {
	c := &a.closeFrame
	if !c.closing.Load() {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stop == nil {
		return false
	}
	close(c.stop)
	c.stop = nil
	return true
}

// framesCurrent reports, for today and each of the next framesAhead days,
// whether there is nothing to keep for it at closing time: the frame kept
// for it is the one for the data as it is now, or there is no first screen
// to keep (no page served yet, a first run, data that cannot be read). The
// first screen's data is read once per month grid.
func (a *App) framesCurrent() []bool {
	current := make([]bool, framesAhead+1)
	page := a.closeFrame.lastPage.Load()
	if page == nil {
		for i := range current {
			current[i] = true
		}
		return current
	}
	ctx, cancel := a.call()
	defer cancel()
	today := a.cfg.Clock.Now().In(time.Local)
	var fs FirstScreen
	var grid time.Time
	var err error
	for days := range current {
		now := today.AddDate(0, 0, days)
		if from, _ := monthGrid(now); days == 0 || !from.Equal(grid) {
			grid = from
			fs, err = a.firstScreen(ctx, now)
		}
		if err != nil || fs.Calendar == nil {
			current[days] = true
			continue
		}
		key, err := frameKey(*page, fs, nil, now)
		if err != nil {
			current[days] = true
			continue
		}
		_, _, current[days] = storedFrame(a.cfg.DataDir, now.Format(time.DateOnly), key)
	}
	return current
}

// FirstFrameDone is the closing page's answer: it has kept the first frame
// (or could not): the window goes on closing. Outside a closing, nothing.
func (s *SettingsService) FirstFrameDone() {
	c := &s.app.closeFrame
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done != nil {
		close(c.done)
		c.done = nil
	}
}
