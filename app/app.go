// Package app is the only Wails-aware Go package: it wires the backend into
// thin bound services, turns errors into {code, message} objects and sends
// events to the UI.
package app

import (
	"context"
	"io/fs"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"pauta/backend"
	"pauta/backend/inbox"
	"pauta/backend/keychain"
	"pauta/backend/metrics"
	"pauta/backend/outbox"
	"pauta/backend/sqlite"
	"pauta/backend/wslock"

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
	Role     string          // who holds the workspace lock (RoleWindow, RoleDemo), named to a refused process
}

// App holds the open workspace and the services bound to the frontend.
type App struct {
	cfg     Config
	store   *sqlite.DB
	lock    *wslock.Lock // one process per workspace, held until Close
	emitter Emitter      // counts the changes on the way (see changeCounter)
	changes *changeCounter
	frames  frameState // first frames served, so only those are kept (firstframe.go)
	// the first frame kept current when the window closes (firstframe_close.go)
	closeFrame closeState
	firstPage  firstPageGate // the background loops wait for the window's first page
	secrets    backend.Secrets
	vault      keychain.Vault // account secrets named with this workspace's id
	adoptMu    sync.Mutex     // one legacy-entry migration at a time
	http       *http.Client
	ctx        context.Context // the Wails context, set on startup
	bundle     fs.FS           // the built frontend (Options), for its licence notices

	Clients  *ClientService
	Posts    *PostService
	Settings *SettingsService
	Planning *PlanningService
	Export   *ExportService
	Connect  *ConnectService
	Outbox   *OutboxService
	Media    *MediaService
	Report   *ReportService
	Edit     *EditService
	Inbox    *InboxService
	Approval *ApprovalService
	Imports  *ImportService
	Archives *ArchiveService

	outbox    *outbox.Outbox
	inboxSync *inbox.Sync
	avatars   *inbox.Avatars     // inbox authors' avatars (inbox_avatar.go)
	metrics   *metrics.Collector // figures and follower counts for the report
	opener    URLOpener
	notifier  Notifier
}

// DBFile is the database's name inside the data directory.
const DBFile = "pauta.db"

// New opens the workspace in cfg.DataDir and builds the services.
func New(ctx context.Context, cfg Config) (*App, error) {
	if cfg.Clock == nil {
		cfg.Clock = backend.SystemClock{}
	}
	// Before the store: a second process must not open it at all (its outbox
	// would reset and re-send the first one's in-flight posts).
	lock, err := wslock.Acquire(cfg.DataDir, cfg.Role)
	if err != nil {
		return nil, err
	}
	// A restore chosen in Settings happens here, before the store opens it.
	// One that cannot be applied is set aside (restore-pending.zip.refused)
	// and the workspace opens as it was.
	if err := applyPendingRestore(cfg.DataDir, cfg.Clock.Now()); err != nil {
		log.Printf("pauta: restore not applied: %v", err)
	}
	store, err := sqlite.Open(ctx, filepath.Join(cfg.DataDir, DBFile), cfg.Clock)
	if err != nil {
		lock.Release()
		return nil, err
	}
	a := &App{cfg: cfg, store: store, ctx: ctx, lock: lock, firstPage: firstPageGate{ch: make(chan struct{})}}
	inner := cfg.Emitter
	if inner == nil {
		inner = &wailsEmitter{}
	}
	a.changes = &changeCounter{next: inner}
	a.emitter = a.changes
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
	wsid, err := store.WorkspaceID(ctx)
	if err != nil {
		store.Close()
		return nil, err
	}
	a.vault = keychain.Vault{Secrets: a.secrets, Workspace: wsid}
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
	a.Inbox, a.inboxSync = &InboxService{app: a}, newInboxSync(a)
	a.outbox.SetGrace(time.Duration(a.graceMinutes(ctx)) * time.Minute)
	a.metrics = newCollector(a)
	a.Report = &ReportService{app: a, opener: execOpener{}}
	a.Media = NewMediaService(func() context.Context { return a.ctx }, store, cfg.DataDir,
		wailsMediaDialogs{ctx: func() context.Context { return a.ctx }}, a.emitter)
	a.Edit = NewEditService(func() context.Context { return a.ctx }, store, a.Media, cfg.DataDir)
	a.avatars = newAvatars(a)
	a.Approval = &ApprovalService{app: a, dialogs: wailsApprovalDialogs{ctx: func() context.Context { return a.ctx }}, opener: execOpener{}}
	a.Imports = &ImportService{app: a, dialogs: wailsCSVDialogs{ctx: func() context.Context { return a.ctx }}}
	a.Archives = &ArchiveService{app: a, dialogs: wailsArchiveDialogs{ctx: func() context.Context { return a.ctx }}}
	if err := a.purgeBin(); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

// Close closes the workspace and then lets another process open it.
func (a *App) Close() error {
	if a.Media != nil {
		a.Media.close() // the HEIC/AVIF decoder process, if one runs
	}
	err := a.store.Close()
	a.lock.Release()
	return err
}

// Store is the open store (CLI subcommands share it).
func (a *App) Store() *sqlite.DB { return a.store }

// Context is the app's context (the command line's, or the window's once started).
func (a *App) Context() context.Context { return a.ctx }

// call derives a per-call context: bound methods cannot take one.
func (a *App) call() (context.Context, context.CancelFunc) {
	return context.WithTimeout(a.ctx, 30*time.Second)
}

func (a *App) startup(ctx context.Context) {
	a.ctx = ctx
	if w, ok := a.changes.next.(*wailsEmitter); ok {
		w.ctx = ctx
	}
	a.startUI(ctx)
	a.firstPage.then(ctx, firstPageWait, func() {
		a.StartOutbox(ctx)
		a.StartInbox(ctx)
		a.StartMetrics(ctx)
	})
	go a.migrateSecrets(ctx) // legacy keychain entries, checked without holding up the window
	a.Media.schedulePrune()  // bound the render cache, in the background
}

// Clock is the clock the app runs on.
func (a *App) Clock() backend.Clock { return a.cfg.Clock }

// StartOutbox runs the publish loop until ctx ends (the window's lifetime).
func (a *App) StartOutbox(ctx context.Context) {
	go func() { _ = a.outbox.Run(ctx) }()
}

// Options builds the Wails options: window, assets, bindings, error formatter.
func Options(a *App, assets fs.FS) *options.App {
	single := newSingleInstance(a.cfg.DataDir)
	single.stopClosing = a.stopClosing
	a.bundle = assets
	return &options.App{
		Title:            "Pauta",
		Width:            1280,
		Height:           820,
		MinWidth:         900,
		MinHeight:        600,
		AssetServer:      &assetserver.Options{Assets: assets, Handler: assetHandler(a.Edit, a.Media), Middleware: a.pageMiddleware},
		DragAndDrop:      &options.DragAndDrop{EnableFileDrop: true},
		BackgroundColour: &options.RGBA{R: 250, G: 250, B: 252, A: 255},
		OnStartup:        single.started(a.startup),
		OnShutdown:       func(context.Context) { _ = a.Close() },
		OnBeforeClose:    a.beforeClose,
		Bind:             []any{a.Clients, a.Posts, a.Settings, a.Planning, a.Export, a.Connect, a.Outbox, a.Media, a.Edit, a.Inbox, a.Approval, a.Report, a.Imports, a.Archives},
		ErrorFormatter:   FormatError,
		// A second start on this workspace brings this window forward.
		SingleInstanceLock: single.lock,
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
