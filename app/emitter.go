package app

import (
	"context"

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
