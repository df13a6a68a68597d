package app

import (
	"context"
	"sync/atomic"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Emitter sends small invalidation events to the UI ("posts:changed"); the UI
// refetches. Tests pass a recorder; only the Wails emitter touches runtime.
type Emitter interface {
	Emit(name string, data ...any)
}

// NopEmitter drops events (CLI, tests that do not care).
type NopEmitter struct{}

func (NopEmitter) Emit(string, ...any) {}

// wailsEmitter emits through the Wails runtime once the window has started.
type wailsEmitter struct{ ctx context.Context }

func (w *wailsEmitter) Emit(name string, data ...any) {
	if w.ctx != nil {
		runtime.EventsEmit(w.ctx, name, data...)
	}
}

// Event names.
const (
	EventClientsChanged = "clients:changed"
	EventPostsChanged   = "posts:changed"
)

// changeCounter passes every event on and counts the ones that make the UI
// refetch what it shows (clients:changed, posts:changed). The first screen
// is sent with the count at the time it was read; a page that finds the
// count moved on by the time it listens has missed an event and refetches.
type changeCounter struct {
	next Emitter
	n    atomic.Uint64
}

func (c *changeCounter) Emit(name string, data ...any) {
	if name == EventClientsChanged || name == EventPostsChanged {
		c.n.Add(1)
	}
	c.next.Emit(name, data...)
}
