package app

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"pauta/backend"
	"pauta/backend/ics"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Dialogs asks the user where an export goes. Production uses the Wails
// dialogs; tests pass a fake. An empty path means the user cancelled.
type Dialogs interface {
	SaveFile(defaultName string) (string, error)
	PickFolder() (string, error)
}

// ExportOptions is what the export dialog in the UI sends.
type ExportOptions struct {
	From            string `json:"from"` // "YYYY-MM-DD", inclusive, "" = open
	To              string `json:"to"`
	IncludeDrafts   bool   `json:"includeDrafts"`
	DurationMinutes int    `json:"durationMinutes"` // 0 = 15
}

// ExportResult says what was written. Path "" means the user cancelled.
type ExportResult struct {
	Path   string `json:"path"`   // the file, or the folder of a per-client export
	Events int    `json:"events"` // events written in all
	Files  int    `json:"files"`  // 1 for a file; one per client for a folder
}

// ExportProgress is the payload of EventExportProgress during a folder
// export: Done of Total files written, the last one for Client.
type ExportProgress struct {
	Done   int    `json:"done"`
	Total  int    `json:"total"`
	Client string `json:"client"`
	File   string `json:"file"`
}

// EventExportProgress reports each file of a folder export.
const EventExportProgress = "export:progress"

// exportTimeout bounds the work after the user has chosen where to write.
const exportTimeout = 2 * time.Minute

// ExportService is bound to the frontend: iCalendar export of the posting
// calendar, per client or for all, to a file or to a folder.
type ExportService struct {
	ctx     func() context.Context // the Wails context once started
	store   backend.Store
	export  *ics.Service
	dialogs Dialogs
	emitter Emitter
}

// NewExportService builds the service. ctx returns the app's current
// context (bound methods cannot take one); clock gives DTSTAMP.
func NewExportService(ctx func() context.Context, store backend.Store, clock backend.Clock, dialogs Dialogs, emitter Emitter) *ExportService {
	if emitter == nil {
		emitter = NopEmitter{}
	}
	return &ExportService{ctx: ctx, store: store, export: ics.NewService(store, clock), dialogs: dialogs, emitter: emitter}
}

func (o ExportOptions) options() ics.Options {
	return ics.Options{From: o.From, To: o.To, IncludeDrafts: o.IncludeDrafts, Duration: time.Duration(o.DurationMinutes) * time.Minute}
}

// ExportClient exports one client (clientID 0: every active client) to a
// file the user picks. Bad options or an unknown client fail before the
// dialog opens; a cancelled dialog returns an empty result and no error.
func (s *ExportService) ExportClient(clientID int64, opts ExportOptions) (ExportResult, error) {
	o := opts.options()
	if err := o.Check(); err != nil {
		return ExportResult{}, err
	}
	sel, name, err := s.selection(clientID)
	if err != nil {
		return ExportResult{}, err
	}
	path, err := s.dialogs.SaveFile(name)
	if err != nil {
		return ExportResult{}, fmt.Errorf("export calendar: save dialog: %w", err)
	}
	if path == "" {
		return ExportResult{}, nil
	}
	if filepath.Ext(path) == "" {
		path += ".ics"
	}
	ctx, cancel := context.WithTimeout(s.ctx(), exportTimeout)
	defer cancel()
	n, err := s.export.WriteFile(ctx, path, sel, o)
	if err != nil {
		return ExportResult{}, err
	}
	return ExportResult{Path: path, Events: n, Files: 1}, nil
}

// selection resolves clientID and proposes a file name.
func (s *ExportService) selection(clientID int64) (ics.Selection, string, error) {
	ctx, cancel := context.WithTimeout(s.ctx(), 30*time.Second)
	defer cancel()
	if clientID == 0 {
		sel, err := s.export.Clients(ctx, nil)
		return sel, "pauta-all-clients.ics", err
	}
	c, err := s.store.GetClient(ctx, clientID)
	if err != nil {
		return ics.Selection{}, "", err
	}
	return ics.Selection{Clients: []backend.Client{*c}}, ics.FileNames([]backend.Client{*c})[0], nil
}

// ExportAllToFolder writes one calendar per active client into a folder the
// user picks ("<client>.ics"), emitting EventExportProgress as it goes (a
// first event with Done 0 gives the total).
func (s *ExportService) ExportAllToFolder(opts ExportOptions) (ExportResult, error) {
	o := opts.options()
	if err := o.Check(); err != nil {
		return ExportResult{}, err
	}
	dir, err := s.dialogs.PickFolder()
	if err != nil {
		return ExportResult{}, fmt.Errorf("export calendars: folder dialog: %w", err)
	}
	if dir == "" {
		return ExportResult{}, nil
	}
	ctx, cancel := context.WithTimeout(s.ctx(), exportTimeout)
	defer cancel()
	sel, err := s.export.Clients(ctx, nil)
	if err != nil {
		return ExportResult{}, err
	}
	s.emitter.Emit(EventExportProgress, ExportProgress{Total: len(sel.Clients)})
	res := ExportResult{Path: dir}
	_, err = s.export.WriteDir(ctx, dir, sel, o, func(done, total int, r ics.FileResult) {
		res.Events += r.Events
		res.Files++
		s.emitter.Emit(EventExportProgress, ExportProgress{Done: done, Total: total, Client: r.Client.Name, File: r.File})
	})
	if err != nil {
		return res, err
	}
	return res, nil
}

// wailsDialogs opens the native dialogs through the Wails runtime. Its
// context must be the one Wails passed to OnStartup: any other makes the
// runtime exit the process, so tests never use it.
type wailsDialogs struct{ ctx func() context.Context }

var _ Dialogs = wailsDialogs{}

func (d wailsDialogs) SaveFile(defaultName string) (string, error) {
	return runtime.SaveFileDialog(d.ctx(), runtime.SaveDialogOptions{
		Title:                "Export calendar",
		DefaultFilename:      defaultName,
		CanCreateDirectories: true,
		Filters:              []runtime.FileFilter{{DisplayName: "iCalendar (*.ics)", Pattern: "*.ics"}},
	})
}

func (d wailsDialogs) PickFolder() (string, error) {
	return runtime.OpenDirectoryDialog(d.ctx(), runtime.OpenDialogOptions{
		Title:                "Export one calendar per client into…",
		CanCreateDirectories: true,
	})
}
