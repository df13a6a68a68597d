package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"sync/atomic"

	"pauta/backend"

	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Window roles named in the workspace lock, for the message a refused
// process shows.
const (
	RoleWindow = "the window"
	RoleDemo   = "pauta demo"
	RoleImport = "pauta import-csv"
)

// InstanceID is the Wails single-instance id of the workspace in dir: a hash
// of its absolute, cleaned, symlink-resolved path, so a second start on the
// same workspace finds the first window and two workspaces run side by side.
func InstanceID(dir string) string {
	p, err := filepath.Abs(dir)
	if err != nil {
		p = dir
	}
	if r, err := filepath.EvalSymlinks(p); err == nil {
		p = r
	}
	p = filepath.Clean(p)
	if goruntime.GOOS != "linux" { // case-insensitive file systems by default
		p = strings.ToLower(p)
	}
	sum := sha256.Sum256([]byte(p))
	// Letters, digits and "_" only: Wails builds a D-Bus name from it on Linux.
	return "pauta_" + hex.EncodeToString(sum[:8])
}

// singleInstance brings the running window to the front when another start
// on the same workspace is handed over to it by Wails.
type singleInstance struct {
	ctx  atomic.Pointer[context.Context] // the Wails context, once started
	lock *options.SingleInstanceLock
	// stopClosing keeps a closing window open and shows it itself
	// (App.stopClosing); false: the window is not closing.
	stopClosing func() bool
}

func newSingleInstance(dir string) *singleInstance {
	s := &singleInstance{}
	s.lock = &options.SingleInstanceLock{UniqueId: InstanceID(dir), OnSecondInstanceLaunch: s.front}
	return s
}

// started records the Wails context before calling next (the app's startup):
// the second-instance message arrives on another goroutine.
func (s *singleInstance) started(next func(context.Context)) func(context.Context) {
	return func(ctx context.Context) {
		s.ctx.Store(&ctx)
		next(ctx)
	}
}

func (s *singleInstance) front(options.SecondInstanceData) {
	ctx := s.ctx.Load()
	if ctx == nil || s.stopClosing != nil && s.stopClosing() {
		return
	}
	runtime.WindowShow(*ctx)
	runtime.WindowUnminimise(*ctx) // on Linux this presents (raises) the window
}

// ForwardOptions are the Wails options of a start refused the workspace in
// dir because busy (store.locked) holds it: no store, no bindings, the same
// single-instance id, so Wails hands the start to the running window and ends
// this process. If Wails cannot (no session bus, or the holder is a command
// and has no window), the hidden window's only act is to say why and quit.
func ForwardOptions(dir string, busy error) *options.App {
	msg := backend.AsError(busy).Message
	if msg != "" { // a sentence in a dialog, a clause after "pauta: " on the terminal
		msg = strings.ToUpper(msg[:1]) + msg[1:]
	}
	return &options.App{
		Title:       "Pauta",
		Width:       480,
		Height:      240,
		StartHidden: true,
		AssetServer: &assetserver.Options{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte("<!doctype html><title>Pauta</title>"))
		})},
		SingleInstanceLock: &options.SingleInstanceLock{UniqueId: InstanceID(dir)},
		// DOM ready comes after Wails' single-instance check, so it only
		// runs when the start was not handed over.
		OnDomReady: func(ctx context.Context) {
			_, _ = runtime.MessageDialog(ctx, runtime.MessageDialogOptions{Type: runtime.WarningDialog, Title: "Pauta", Message: msg})
			runtime.Quit(ctx)
		},
		Linux: &linux.Options{ProgramName: "pauta", WebviewGpuPolicy: linux.WebviewGpuPolicyNever},
	}
}
