package app

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"pauta/backend"
	"pauta/backend/archive"
	"pauta/backend/csvimport"
	"pauta/backend/ics"
)

// ArchiveService is bound to the frontend: hand a client over (or back it
// up) as one .zip, and restore one into this workspace.
type ArchiveService struct {
	app     *App
	dialogs ArchiveDialogs
}

// ArchiveDialogs are the file dialogs of client archives.
type ArchiveDialogs interface {
	SaveArchive(defaultName string) (string, error)
	OpenArchive() (string, error)
}

// EventArchiveProgress reports bytes written of an archive: ArchiveProgress.
const EventArchiveProgress = "archive:progress"

// ArchiveProgress is one step of writing an archive.
type ArchiveProgress struct {
	Done  int64 `json:"done"`
	Total int64 `json:"total"`
}

// ArchiveResult says what an export or import did ("" path = cancelled).
type ArchiveResult struct {
	Path     string `json:"path"`
	ClientID int64  `json:"clientId"`
	Client   string `json:"client"`
	Posts    int    `json:"posts"`
	Images   int    `json:"images"`
	// Held: scheduled posts that came back as drafts. The workspace the
	// archive came from may still publish them (or may have handed them to a
	// Mastodon server already), so the copy never publishes them by itself:
	// the user schedules them again once the old workspace no longer will.
	Held int `json:"held"`
}

const archiveTimeout = 2 * time.Hour

// Export writes the client's archive to a file picked in the save dialog.
func (s *ArchiveService) Export(clientID int64) (ArchiveResult, error) {
	ctx, cancel := context.WithTimeout(s.app.ctx, archiveTimeout)
	defer cancel()
	c, err := s.app.store.GetClient(ctx, clientID)
	if err != nil {
		return ArchiveResult{}, err
	}
	out, err := s.dialogs.SaveArchive(safeName(c.Name) + "-" + s.app.cfg.Clock.Now().Format("2006-01-02") + ".zip")
	if err != nil {
		return ArchiveResult{}, fmt.Errorf("export client: file dialog: %w", err)
	}
	if out == "" {
		return ArchiveResult{}, nil
	}
	return s.export(ctx, c, out)
}

// PickExportFile opens the save dialog for a client's archive; "" when cancelled.
func (s *ArchiveService) PickExportFile(clientID int64) (string, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	c, err := s.app.store.GetClient(ctx, clientID)
	if err != nil {
		return "", err
	}
	out, err := s.dialogs.SaveArchive(safeName(c.Name) + "-" + s.app.cfg.Clock.Now().Format("2006-01-02") + ".zip")
	if err != nil {
		return "", fmt.Errorf("export client: file dialog: %w", err)
	}
	return out, nil
}

// ExportTo writes the client's archive to path (from PickExportFile): an
// absolute .zip path in an existing folder.
func (s *ArchiveService) ExportTo(clientID int64, path string) (ArchiveResult, error) {
	if err := checkArchivePath(path); err != nil {
		return ArchiveResult{}, err
	}
	ctx, cancel := context.WithTimeout(s.app.ctx, archiveTimeout)
	defer cancel()
	c, err := s.app.store.GetClient(ctx, clientID)
	if err != nil {
		return ArchiveResult{}, err
	}
	return s.export(ctx, c, path)
}

// PickImportFile opens the open dialog for an archive; "" when cancelled.
func (s *ArchiveService) PickImportFile() (string, error) {
	p, err := s.dialogs.OpenArchive()
	if err != nil {
		return "", fmt.Errorf("import client: file dialog: %w", err)
	}
	return p, nil
}

// ImportFrom restores the archive at path (from PickImportFile or a drop).
func (s *ArchiveService) ImportFrom(path string) (ArchiveResult, error) {
	if !filepath.IsAbs(path) {
		return ArchiveResult{}, backend.Errorf(backend.EInvalid, "archive.path_invalid", "choose a .zip file").WithParam("path", path)
	}
	ctx, cancel := context.WithTimeout(s.app.ctx, archiveTimeout)
	defer cancel()
	return s.importFile(ctx, path)
}

// checkArchivePath accepts only an absolute path ending in .zip, in an
// existing folder, that is not something other than a regular file.
func checkArchivePath(path string) error {
	bad := backend.Errorf(backend.EInvalid, "archive.path_invalid", "choose a .zip file").WithParam("path", path)
	if !filepath.IsAbs(path) || !strings.EqualFold(filepath.Ext(path), ".zip") {
		return bad
	}
	if st, err := os.Stat(filepath.Dir(path)); err != nil || !st.IsDir() {
		return bad
	}
	if st, err := os.Lstat(path); err == nil && !st.Mode().IsRegular() {
		return bad
	}
	return nil
}

func (s *ArchiveService) export(ctx context.Context, c *backend.Client, out string) (ArchiveResult, error) {
	a, err := s.app.store.ReadClientArchive(ctx, c.ID)
	if err != nil {
		return ArchiveResult{}, err
	}
	// posts.csv in the import's format, its images named as the archive holds them.
	accounts := map[int64]backend.Account{}
	idx := map[string]int64{}
	for i, ac := range a.Accounts {
		accounts[int64(i+1)] = backend.Account{ID: int64(i + 1), Network: ac.Network, Handle: ac.Handle}
		idx[ac.Key] = int64(i + 1)
	}
	alt := map[string]backend.ArchiveMedia{}
	for _, m := range a.Media {
		alt[m.Hash] = m
	}
	posts := make([]backend.Post, len(a.Posts))
	images := map[int64][]csvimport.ExportImage{}
	for i, ap := range a.Posts {
		p := backend.Post{ID: int64(i + 1), Status: ap.Status, BaseText: ap.BaseText, FirstComment: ap.FirstComment, ScheduledAt: ap.ScheduledAt,
			TimeZone: ap.TimeZone, Labels: ap.Labels}
		for _, v := range ap.Variants {
			p.Variants = append(p.Variants, backend.Variant{AccountID: idx[v.Account], Text: v.Text, FirstComment: v.FirstComment})
		}
		for _, h := range ap.Media {
			images[p.ID] = append(images[p.ID], csvimport.ExportImage{Path: archive.MediaPath(alt[h]), Alt: alt[h].Alt})
		}
		posts[i] = p
	}
	csvData, err := csvimport.Encode(csvimport.ExportRecords(posts, accounts, images), ",")
	if err != nil {
		return ArchiveResult{}, err
	}
	var cal bytes.Buffer
	svc := ics.NewService(s.app.store, s.app.cfg.Clock)
	sel, err := svc.Clients(ctx, []string{c.Name})
	if err != nil {
		return ArchiveResult{}, err
	}
	if _, err := svc.Write(ctx, &cal, sel, ics.Options{IncludeDrafts: true}); err != nil {
		return ArchiveResult{}, err
	}
	extras := []archive.Extra{{Name: archive.PostsCSV, Data: csvData}, {Name: archive.CalendarICS, Data: cal.Bytes()}}
	progress := func(done, total int64) {
		s.app.emitter.Emit(EventArchiveProgress, ArchiveProgress{Done: done, Total: total})
	}
	mediaFile := func(m backend.ArchiveMedia) (string, error) { return s.app.Media.filePath(m.Hash, m.Format) }
	if err := archive.Write(out, a, mediaFile, extras, s.app.cfg.Clock.Now(), progress); err != nil {
		return ArchiveResult{}, err
	}
	return ArchiveResult{Path: out, ClientID: c.ID, Client: c.Name, Posts: len(a.Posts), Images: len(a.Media)}, nil
}

// Import restores a client archive picked in the open dialog as a new
// client: every checksum is verified and every image decoded like an
// import before anything is written; the data goes in one transaction.
func (s *ArchiveService) Import() (ArchiveResult, error) {
	path, err := s.dialogs.OpenArchive()
	if err != nil {
		return ArchiveResult{}, fmt.Errorf("import client: file dialog: %w", err)
	}
	if path == "" {
		return ArchiveResult{}, nil
	}
	ctx, cancel := context.WithTimeout(s.app.ctx, archiveTimeout)
	defer cancel()
	return s.importFile(ctx, path)
}

func (s *ArchiveService) importFile(ctx context.Context, path string) (ArchiveResult, error) {
	r, err := archive.Open(path, archive.DefaultLimits())
	if err != nil {
		return ArchiveResult{}, err
	}
	defer r.Close()
	a := r.Archive
	// The images, decoded one by one like any import (size, real type,
	// pixels, truncation), and stored by content before the transaction.
	imgs := map[string]preparedImage{}
	for i, m := range a.Media {
		data, err := r.MediaData(m)
		if err != nil {
			s.app.Media.forgetImages(ctx, imgs)
			return ArchiveResult{}, err
		}
		im := s.app.Media.prepareData(ctx, m.Name, data)
		imgs[m.Hash] = im
		if im.err != nil {
			s.app.Media.forgetImages(ctx, imgs)
			e := backend.AsError(im.err)
			return ArchiveResult{}, e.WithParam("file", m.Name)
		}
		if im.media.Hash != m.Hash || im.media.Format != m.Format {
			s.app.Media.forgetImages(ctx, imgs)
			return ArchiveResult{}, backend.Errorf(backend.EInvalid, "archive.checksum", "%s does not match the archive's data", m.Name).WithParam("file", m.Name)
		}
		a.Media[i].Width, a.Media[i].Height, a.Media[i].Bytes = im.media.Width, im.media.Height, im.media.Bytes
		s.app.emitter.Emit(EventArchiveProgress, ArchiveProgress{Done: int64(i + 1), Total: int64(len(a.Media))})
	}
	held := holdScheduled(a)
	c, err := s.app.store.WriteClientArchive(ctx, a)
	if err != nil {
		s.app.Media.forgetImages(ctx, imgs)
		return ArchiveResult{}, err
	}
	s.app.emitter.Emit(EventClientsChanged)
	s.app.emitter.Emit(EventPostsChanged)
	return ArchiveResult{Path: path, ClientID: c.ID, Client: c.Name, Posts: len(a.Posts), Images: len(a.Media), Held: held}, nil
}

// holdScheduled turns the archive's scheduled posts into drafts (never twice:
// the original workspace, or its Mastodon server, may publish them too).
func holdScheduled(a *backend.ClientArchive) int {
	n := 0
	for i := range a.Posts {
		if a.Posts[i].Status == backend.StatusScheduled {
			a.Posts[i].Status = backend.StatusDraft
			n++
		}
	}
	return n
}
