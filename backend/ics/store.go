package ics

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"pauta/backend"
)

// WorkspaceIDKey is the setting holding the workspace's random identity.
const WorkspaceIDKey = backend.WorkspaceIDKey

// Namespace returns the 8 hex digits that tell this workspace's UIDs apart
// from another's: the start of the SHA-256 of a random workspace id, created
// on first use and kept in settings. Unlike the database path it survives a
// move of the data folder, so re-imports keep updating the same events.
func Namespace(ctx context.Context, s backend.SettingsStore, random io.Reader) (string, error) {
	id, ok, err := s.GetSetting(ctx, WorkspaceIDKey)
	if err != nil {
		return "", fmt.Errorf("read workspace id: %w", err)
	}
	if !ok || strings.TrimSpace(id) == "" {
		var b [16]byte
		if _, err := io.ReadFull(random, b[:]); err != nil {
			return "", fmt.Errorf("create workspace id: %w", err)
		}
		if err := s.SetSetting(ctx, WorkspaceIDKey, hex.EncodeToString(b[:])); err != nil {
			return "", fmt.Errorf("save workspace id: %w", err)
		}
		// Read it back: if another process raced us, its id is the one kept.
		if id, _, err = s.GetSetting(ctx, WorkspaceIDKey); err != nil {
			return "", fmt.Errorf("read workspace id: %w", err)
		}
	}
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:4]), nil
}

// Store is the part of backend.Store an export reads (and the workspace id
// it writes once).
type Store interface {
	ListClients(ctx context.Context, includeArchived bool) ([]backend.Client, error)
	FindClientByName(ctx context.Context, name string) (*backend.Client, error)
	ListAccounts(ctx context.Context, clientID int64) ([]backend.Account, error)
	ListPosts(ctx context.Context, f backend.PostFilter) ([]backend.Post, error)
	backend.SettingsStore
}

var _ Store = backend.Store(nil)

// Service exports from a store: it resolves clients, loads their accounts
// and posts and writes calendars to a writer, a file or a folder.
type Service struct {
	store  Store
	clock  backend.Clock
	random io.Reader
	// PostURL is passed to the Exporter (published links, not stored yet).
	PostURL func(p *backend.Post) string
}

// NewService returns a Service on store. The clock gives DTSTAMP.
func NewService(store Store, clock backend.Clock) *Service {
	return &Service{store: store, clock: clock, random: rand.Reader}
}

// Selection is which clients one calendar holds.
type Selection struct {
	Clients []backend.Client
	All     bool // every active client: the calendar is named AllClientsName
}

// Clients resolves client names (case-insensitive) to clients, in the order
// given, without duplicates; no names means every non-archived client.
func (s *Service) Clients(ctx context.Context, names []string) (Selection, error) {
	if len(names) == 0 {
		cs, err := s.store.ListClients(ctx, false)
		if err != nil {
			return Selection{}, fmt.Errorf("list clients: %w", err)
		}
		return Selection{Clients: cs, All: true}, nil
	}
	var sel Selection
	seen := map[int64]bool{}
	for _, name := range names {
		c, err := s.store.FindClientByName(ctx, strings.TrimSpace(name))
		if backend.ErrorCode(err) == backend.ENotFound {
			return Selection{}, s.unknownClient(ctx, name)
		}
		if err != nil {
			return Selection{}, fmt.Errorf("find client %q: %w", name, err)
		}
		if !seen[c.ID] {
			seen[c.ID] = true
			sel.Clients = append(sel.Clients, *c)
		}
	}
	return sel, nil
}

func (s *Service) unknownClient(ctx context.Context, name string) error {
	cs, err := s.store.ListClients(ctx, true)
	if err != nil {
		return fmt.Errorf("list clients: %w", err)
	}
	known := make([]string, 0, len(cs))
	for _, c := range cs {
		if c.Archived {
			known = append(known, c.Name+" (archived)")
		} else {
			known = append(known, c.Name)
		}
	}
	list := strings.Join(known, ", ")
	if list == "" {
		list = "none yet"
	}
	return backend.Errorf(backend.ENotFound, "ics.client_unknown", "no client is called %q; known clients: %s", name, list).
		WithField("client").WithParam("name", name).WithParam("known", list)
}

// Load reads the accounts and posts a calendar of sel needs. Posts are
// narrowed in SQL to a window a day wider than o's; the Exporter applies the
// exact per-zone days.
func (s *Service) Load(ctx context.Context, sel Selection, o Options) (Data, error) {
	w, err := o.window()
	if err != nil {
		return Data{}, err
	}
	d := Data{Clients: sel.Clients}
	if len(sel.Clients) == 0 {
		return d, nil
	}
	if !sel.All && len(sel.Clients) > 1 {
		names := make([]string, len(sel.Clients))
		for i, c := range sel.Clients {
			names[i] = c.Name
		}
		d.Title = "Pauta — " + strings.Join(names, ", ")
	}
	f := backend.PostFilter{}
	f.From, f.To = w.coarse()
	if len(sel.Clients) == 1 {
		f.ClientID = sel.Clients[0].ID
	}
	if d.Accounts, err = s.store.ListAccounts(ctx, f.ClientID); err != nil {
		return Data{}, fmt.Errorf("list accounts: %w", err)
	}
	if d.Posts, err = s.store.ListPosts(ctx, f); err != nil {
		return Data{}, fmt.Errorf("list posts: %w", err)
	}
	return d, nil
}

// Exporter returns an Exporter for this workspace (creating its id if needed).
func (s *Service) Exporter(ctx context.Context) (*Exporter, error) {
	ns, err := Namespace(ctx, s.store, s.random)
	if err != nil {
		return nil, err
	}
	return &Exporter{Clock: s.clock, Namespace: ns, PostURL: s.PostURL}, nil
}

// Write exports sel to w and returns the number of events. Options are
// checked before anything is read or written.
func (s *Service) Write(ctx context.Context, w io.Writer, sel Selection, o Options) (int, error) {
	if err := o.Check(); err != nil {
		return 0, err
	}
	e, err := s.Exporter(ctx)
	if err != nil {
		return 0, err
	}
	return s.write(ctx, e, w, sel, o)
}

func (s *Service) write(ctx context.Context, e *Exporter, w io.Writer, sel Selection, o Options) (int, error) {
	d, err := s.Load(ctx, sel, o)
	if err != nil {
		return 0, err
	}
	cal, n, err := e.Calendar(d, o)
	if err != nil {
		return 0, err
	}
	return n, Encode(w, cal)
}

// WriteFile exports sel to path atomically: a failed export leaves no file
// and an existing one untouched.
func (s *Service) WriteFile(ctx context.Context, path string, sel Selection, o Options) (int, error) {
	if err := o.Check(); err != nil {
		return 0, err
	}
	e, err := s.Exporter(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	err = WriteFileAtomic(path, func(w io.Writer) error {
		var err error
		n, err = s.write(ctx, e, w, sel, o)
		return err
	})
	return n, err
}

// FileResult is one file of a folder export.
type FileResult struct {
	Client backend.Client
	File   string // base name, e.g. "panaderia-sol.ics"
	Path   string
	Events int
}

// Progress hears about each file of a folder export as it is written.
type Progress func(done, total int, r FileResult)

// WriteDir exports each client of sel to its own file in dir
// ("<client-slug>.ics"), creating dir if needed. Posts are read once for
// every client. Each file is written atomically; on error the files
// already written stay (they are complete).
func (s *Service) WriteDir(ctx context.Context, dir string, sel Selection, o Options, progress Progress) ([]FileResult, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	if err := ensureDir(dir); err != nil {
		return nil, err
	}
	e, err := s.Exporter(ctx)
	if err != nil {
		return nil, err
	}
	all, err := s.Load(ctx, Selection{Clients: sel.Clients, All: true}, o)
	if err != nil {
		return nil, err
	}
	byClient := make(map[int64][]backend.Post, len(sel.Clients))
	for _, p := range all.Posts {
		byClient[p.ClientID] = append(byClient[p.ClientID], p)
	}
	names := FileNames(sel.Clients)
	out := make([]FileResult, 0, len(sel.Clients))
	for i, c := range sel.Clients {
		if err := ctx.Err(); err != nil {
			return out, fmt.Errorf("export to %s: %w", dir, err)
		}
		r := FileResult{Client: c, File: names[i], Path: joinPath(dir, names[i])}
		d := Data{Clients: []backend.Client{c}, Accounts: all.Accounts, Posts: byClient[c.ID]}
		err := WriteFileAtomic(r.Path, func(w io.Writer) error {
			var err error
			r.Events, err = e.Write(w, d, o)
			return err
		})
		if err != nil {
			return out, fmt.Errorf("export %s: %w", c.Name, err)
		}
		out = append(out, r)
		if progress != nil {
			progress(i+1, len(sel.Clients), r)
		}
	}
	return out, nil
}
