package app

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Keeping the first frame current when the window closes (#18). A start
// keeps the frame it draws, but a session changes the first screen (posts
// saved, published, moved): the next start would find the kept frame stale
// and draw the calendar itself. So when the window is closed and the kept
// frame is not the one for the data as it is now, the window is hidden and
// its page loaded again: a start like any other, which draws the first
// screen from the current data and keeps it, then tells the app to go on
// quitting (SettingsService.FirstFrameDone). A page that does not answer in
// closeWait does not hold the quit up any longer.

// closeWait is how long a closing window waits for its page to keep the frame.
const closeWait = 3 * time.Second

// windowControl is what closing does with the window (the Wails runtime; a
// fake in tests).
type windowControl interface {
	Hide(ctx context.Context)
	Reload(ctx context.Context)
}

type wailsWindow struct{}

func (wailsWindow) Hide(ctx context.Context)   { runtime.WindowHide(ctx) }
func (wailsWindow) Reload(ctx context.Context) { runtime.WindowReload(ctx) }

// closeState is the window's closing: once it has begun, the page served is
// marked so that it keeps its frame and answers; lastPage is the index page
// as built, for the key of the data as it is at closing time.
type closeState struct {
	closing  atomic.Bool
	lastPage atomic.Pointer[[]byte]
	mu       sync.Mutex
	done     chan struct{}
	window   windowControl
	wait     time.Duration
}

// beforeClose is the window's OnBeforeClose (Wails runs it on its own
// goroutine, also for runtime.Quit). It never prevents the close: at most it
// delays it by closeWait while the page keeps the first frame.
func (a *App) beforeClose(ctx context.Context) (prevent bool) {
	c := &a.closeFrame
	if !c.closing.CompareAndSwap(false, true) || a.frameCurrent() {
		return false
	}
	c.mu.Lock()
	done := make(chan struct{})
	c.done = done
	w, wait := c.window, c.wait
	c.mu.Unlock()
	if w == nil {
		w = wailsWindow{}
	}
	if wait == 0 {
		wait = closeWait
	}
	w.Hide(ctx)
	w.Reload(ctx)
	select {
	case <-done:
	case <-time.After(wait):
	case <-ctx.Done():
	}
	return false
}

// frameCurrent reports whether there is nothing to keep at closing time:
// the kept frame is the one for the data as it is now, or there is no first
// screen to keep (no page served yet, a first run, data that cannot be read).
func (a *App) frameCurrent() bool {
	page := a.closeFrame.lastPage.Load()
	if page == nil {
		return true
	}
	ctx, cancel := a.call()
	defer cancel()
	fs, err := a.firstScreen(ctx)
	if err != nil || fs.Calendar == nil {
		return true
	}
	key, err := frameKey(*page, fs, nil, a.cfg.Clock.Now().In(time.Local))
	if err != nil {
		return true
	}
	_, _, ok := storedFrame(a.cfg.DataDir, key)
	return ok
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
