// Package app is the only Wails-aware Go package: it wires the backend into
// thin bound services, turns errors into {code, message} objects and sends
// events to the UI.
package app

import (
	"context"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"pauta/backend"
	"pauta/backend/keychain"
	"pauta/backend/outbox"
	"pauta/backend/sqlite"

	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
)

// Config is what the app needs from the command line.
type Config struct {
	DataDir  string
	Version  string
	Clock    backend.Clock
	Emitter  Emitter         // nil: events go to the Wails runtime once started
	Secrets  backend.Secrets // nil: the OS keychain
	HTTP     *http.Client    // nil: a client with sensible timeouts
	Opener   URLOpener       // nil: the browser through the Wails runtime (outbox composer links)
	Notifier Notifier        // nil: desktop notifications through the Wails runtime
}

// App holds the open workspace and the services bound to the frontend.
type App struct {
	cfg     Config
	store   *sqlite.DB
	emitter Emitter
	secrets backend.Secrets
	http    *http.Client
	ctx     context.Context // the Wails context, set on startup

	Clients  *ClientService
	Posts    *PostService
	Settings *SettingsService
	Planning *PlanningService
	Export   *ExportService
	Connect  *ConnectService
	Outbox   *OutboxService
	Media    *MediaService

	outbox   *outbox.Outbox
	opener   URLOpener
	notifier Notifier
}

// DBFile is the database's name inside the data directory.
const DBFile = "pauta.db"

// New opens the workspace in cfg.DataDir and builds the services.
func New(ctx context.Context, cfg Config) (*App, error) {
	if cfg.Clock == nil {
		cfg.Clock = backend.SystemClock{}
	}
	store, err := sqlite.Open(ctx, filepath.Join(cfg.DataDir, DBFile), cfg.Clock)
	if err != nil {
		return nil, err
	}
	a := &App{cfg: cfg, store: store, ctx: ctx}
	a.emitter = cfg.Emitter
	if a.emitter == nil {
		a.emitter = &wailsEmitter{}
	}
	a.Clients = &ClientService{app: a}
	a.Posts = &PostService{app: a}
	a.Settings = &SettingsService{app: a}
	a.Planning = &PlanningService{app: a}
	a.Connect = &ConnectService{app: a}
	a.Outbox = &OutboxService{app: a}
	a.secrets = cfg.Secrets
	if a.secrets == nil {
		a.secrets = keychain.New("pauta", keychain.Options{})
	}
	a.http = cfg.HTTP
	if a.http == nil {
		a.http = &http.Client{Timeout: 60 * time.Second}
	}
	a.Export = NewExportService(func() context.Context { return a.ctx }, store, cfg.Clock,
		wailsDialogs{ctx: func() context.Context { return a.ctx }}, a.emitter)
	a.opener, a.notifier = cfg.Opener, cfg.Notifier
	if a.opener == nil {
		a.opener = &wailsOpener{}
	}
	if a.notifier == nil {
		a.notifier = &wailsNotifier{}
	}
	a.outbox = newOutbox(a)
	a.outbox.SetGrace(time.Duration(a.graceMinutes(ctx)) * time.Minute)
	a.Media = NewMediaService(func() context.Context { return a.ctx }, store, cfg.DataDir,
		wailsMediaDialogs{ctx: func() context.Context { return a.ctx }}, a.emitter)
	if err := a.purgeBin(); err != nil {
		store.Close()
		return nil, err
	}
	return a, nil
}

// Close closes the workspace.
func (a *App) Close() error { return a.store.Close() }

// Store is the open store (CLI subcommands share it).
func (a *App) Store() *sqlite.DB { return a.store }

// call derives a per-call context: bound methods cannot take one.
func (a *App) call() (context.Context, context.CancelFunc) {
	return context.WithTimeout(a.ctx, 30*time.Second)
}

func (a *App) startup(ctx context.Context) {
	a.ctx = ctx
	if w, ok := a.emitter.(*wailsEmitter); ok {
		w.ctx = ctx
	}
	a.startUI(ctx)
	a.StartOutbox(ctx)
	a.Media.schedulePrune() // bound the render cache, in the background
}

// StartOutbox runs the publish loop until ctx ends (the window's lifetime).
func (a *App) StartOutbox(ctx context.Context) {
	go func() { _ = a.outbox.Run(ctx) }()
}

// Options builds the Wails options: window, assets, bindings, error formatter.
func Options(a *App, assets fs.FS) *options.App {
	return &options.App{
		Title:            "Pauta",
		Width:            1280,
		Height:           820,
		MinWidth:         900,
		MinHeight:        600,
		AssetServer:      &assetserver.Options{Assets: assets, Handler: a.Media.handler(), Middleware: contentSecurity},
		DragAndDrop:      &options.DragAndDrop{EnableFileDrop: true},
		BackgroundColour: &options.RGBA{R: 250, G: 250, B: 252, A: 255},
		OnStartup:        a.startup,
		OnShutdown:       func(context.Context) { _ = a.Close() },
		Bind:             []any{a.Clients, a.Posts, a.Settings, a.Planning, a.Export, a.Connect, a.Outbox, a.Media},
		ErrorFormatter:   FormatError,
		// GPU drawing off, as Wails does by default (Wails issue #2977): the always-on
		// software GL path cost ~60 MB in WebKitWebProcess and ~300 ms to paint.
		Linux: &linux.Options{ProgramName: "pauta", WebviewGpuPolicy: linux.WebviewGpuPolicyNever},
	}
}

// DefaultDataDir is where the workspace lives: PAUTA_DATA_DIR, or the OS
// per-user config directory ($XDG_CONFIG_HOME/pauta on Linux, Application
// Support on macOS, %AppData% on Windows) — never the cache directory.
func DefaultDataDir() (string, error) {
	if d := strings.TrimSpace(os.Getenv("PAUTA_DATA_DIR")); d != "" {
		return d, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", backend.Errorf(backend.EUnavailable, "store.no_config_dir", "cannot find the user configuration folder: %v; use --data-dir", err)
	}
	return filepath.Join(base, "pauta"), nil
}
