package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"pauta/backend"
	"pauta/backend/approval"
	"pauta/backend/atomicfile"
	"pauta/backend/media"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// ApprovalDialogs asks where a package goes and which answer to import.
// Production uses the Wails dialogs; tests pass a fake. "" = cancelled.
type ApprovalDialogs interface {
	SavePackage(defaultName string) (string, error)
	OpenAnswer() (string, error)
}

// ApprovalService is bound to the frontend: the client's approval (issue
// 19) — posts needing approval, the package for the client (HTML + PDF) and
// the import of the client's answer.
type ApprovalService struct {
	app     *App
	dialogs ApprovalDialogs
	opener  FolderOpener
}

// PackageOptions is what the "Approval package…" dialog sends: a client and
// a period of days in the client's zone ("YYYY-MM-DD", both inclusive;
// empty: next week).
type PackageOptions struct {
	ClientID int64  `json:"clientId"`
	From     string `json:"from"`
	To       string `json:"to"`
}

// Period is a period of days in a client's zone, both inclusive.
type Period struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// PackageResult says what was written; HTMLPath "" means cancelled.
type PackageResult struct {
	HTMLPath  string `json:"htmlPath"`
	PDFPath   string `json:"pdfPath"`
	Folder    string `json:"folder"`
	Posts     int    `json:"posts"`
	PackageID string `json:"packageId"`
	Opened    bool   `json:"opened"` // the folder was shown in the file manager
}

// ApprovalImport is what an imported answer did.
type ApprovalImport struct {
	backend.ApprovalResult
	ClientName string `json:"clientName"`
}

// DefaultPeriod is next week (Monday to Sunday) in the client's zone.
func (s *ApprovalService) DefaultPeriod(clientID int64) (Period, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	c, err := s.app.store.GetClient(ctx, clientID)
	if err != nil {
		return Period{}, err
	}
	loc, err := backend.LoadZone(c.TimeZone)
	if err != nil {
		return Period{}, err
	}
	from, to := approval.NextWeek(s.app.cfg.Clock.Now(), loc)
	return Period{From: from.Format("2006-01-02"), To: to.AddDate(0, 0, -1).Format("2006-01-02")}, nil
}

// SetNeedsApproval marks a post as needing (or not) the client's approval.
func (s *ApprovalService) SetNeedsApproval(postID int64, needs bool) (PostView, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	if err := s.app.store.SetPostNeedsApproval(ctx, postID, needs); err != nil {
		return PostView{}, err
	}
	s.changed()
	return s.app.Posts.Get(postID)
}

func (s *ApprovalService) changed() {
	s.app.emitter.Emit(EventPostsChanged)
	s.app.emitter.Emit(backend.EventOutboxChanged)
	s.app.outbox.Wake()
}

// period resolves the options to instants in the client's zone.
func (s *ApprovalService) period(ctx context.Context, o PackageOptions) (*backend.Client, time.Time, time.Time, error) {
	c, err := s.app.store.GetClient(ctx, o.ClientID)
	if err != nil {
		return nil, time.Time{}, time.Time{}, err
	}
	loc, err := backend.LoadZone(c.TimeZone)
	if err != nil {
		return nil, time.Time{}, time.Time{}, err
	}
	if o.From == "" && o.To == "" {
		from, to := approval.NextWeek(s.app.cfg.Clock.Now(), loc)
		return c, from, to, nil
	}
	from, err1 := time.ParseInLocation("2006-01-02", o.From, loc)
	last, err2 := time.ParseInLocation("2006-01-02", o.To, loc)
	if err1 != nil || err2 != nil {
		return nil, time.Time{}, time.Time{}, backend.Errorf(backend.EInvalid, "post.date_invalid", "%q – %q is not a period of dates (YYYY-MM-DD)", o.From, o.To).WithField("from")
	}
	if last.Before(from) {
		return nil, time.Time{}, time.Time{}, backend.Errorf(backend.EInvalid, "range.inverted", "the end of the range is before its start").WithField("to")
	}
	to := time.Date(last.Year(), last.Month(), last.Day()+1, 0, 0, 0, 0, loc)
	return c, from, to, nil
}

// Export asks where to save the package, then writes it there as HTML and,
// beside it, as PDF, and opens the folder.
func (s *ApprovalService) Export(o PackageOptions) (PackageResult, error) {
	ctx, cancel := s.app.call()
	c, from, _, err := s.period(ctx, o)
	cancel()
	if err != nil {
		return PackageResult{}, err
	}
	name := approval.FileName(&approval.Package{Client: *c, Lang: approval.Lang(c.Language), From: from}) + ".html"
	path, err := s.dialogs.SavePackage(name)
	if err != nil {
		return PackageResult{}, fmt.Errorf("approval package: save dialog: %w", err)
	}
	if path == "" {
		return PackageResult{}, nil
	}
	res, err := s.ExportTo(o, path)
	if err != nil {
		return res, err
	}
	res.Opened = s.opener.OpenFolder(res.Folder) == nil // the files are written either way
	return res, nil
}

// ExportTo writes the package to path (.html) and the PDF beside it (.pdf).
func (s *ApprovalService) ExportTo(o PackageOptions, path string) (PackageResult, error) {
	ctx, cancel := context.WithTimeout(s.app.ctx, 2*time.Minute)
	defer cancel()
	_, from, to, err := s.period(ctx, o)
	if err != nil {
		return PackageResult{}, err
	}
	// Only ever an .html and a .pdf: whatever name came in (the web view
	// can call this too), no other kind of file is written.
	if ext := strings.ToLower(filepath.Ext(path)); ext != ".html" && ext != ".htm" {
		path = strings.TrimSuffix(path, filepath.Ext(path)) + ".html"
	}
	if !filepath.IsAbs(path) {
		return PackageResult{}, backend.Errorf(backend.EInvalid, "approval.unwritable", "cannot write %s: not a full path", path).WithParam("path", path)
	}
	ws, err := s.app.store.WorkspaceID(ctx)
	if err != nil {
		return PackageResult{}, err
	}
	pkg, err := approval.Build(ctx, s.app.store, packageImages{s.app.Media}, ws, o.ClientID, from, to, s.app.cfg.Clock.Now())
	if err != nil {
		return PackageResult{}, err
	}
	page, err := approval.HTML(pkg)
	if err != nil {
		return PackageResult{}, err
	}
	doc, err := approval.PDF(pkg)
	if err != nil {
		return PackageResult{}, err
	}
	pdfPath := strings.TrimSuffix(path, filepath.Ext(path)) + ".pdf"
	if err := writeFileAtomic(path, page); err != nil {
		return PackageResult{}, err
	}
	if err := writeFileAtomic(pdfPath, doc); err != nil {
		return PackageResult{}, err
	}
	s.changed() // the posts are now pending
	return PackageResult{HTMLPath: path, PDFPath: pdfPath, Folder: filepath.Dir(path), Posts: len(pkg.Items), PackageID: pkg.ID}, nil
}

// ImportFile asks for an answer file and imports it. clientID 0 accepts an
// answer of any client; otherwise another client's answer is refused.
func (s *ApprovalService) ImportFile(clientID int64) (ApprovalImport, error) {
	path, err := s.dialogs.OpenAnswer()
	if err != nil {
		return ApprovalImport{}, fmt.Errorf("approval answer: open dialog: %w", err)
	}
	if path == "" {
		return ApprovalImport{}, nil
	}
	return s.ImportPath(path, clientID)
}

// ImportPath imports the answer file at path.
func (s *ApprovalService) ImportPath(path string, clientID int64) (ApprovalImport, error) {
	f, err := os.Open(path)
	if err != nil {
		return ApprovalImport{}, backend.Errorf(backend.EUnavailable, "approval.unreadable", "cannot read %s: %v", filepath.Base(path), err).WithParam("name", filepath.Base(path))
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, approval.MaxAnswerBytes+1))
	if err != nil {
		return ApprovalImport{}, backend.Errorf(backend.EUnavailable, "approval.unreadable", "cannot read %s: %v", filepath.Base(path), err).WithParam("name", filepath.Base(path))
	}
	return s.ImportText(string(b), clientID)
}

// ImportText imports an answer pasted from an e-mail: all of it, or nothing.
func (s *ApprovalService) ImportText(text string, clientID int64) (ApprovalImport, error) {
	a, err := approval.DecodeAnswer(text)
	if err != nil {
		return ApprovalImport{}, err
	}
	ctx, cancel := s.app.call()
	defer cancel()
	ws, err := s.app.store.WorkspaceID(ctx)
	if err != nil {
		return ApprovalImport{}, err
	}
	if a.WorkspaceID != ws {
		return ApprovalImport{}, backend.Errorf(backend.EInvalid, "approval.other_workspace", "this answer is for a package made in another workspace")
	}
	if clientID != 0 && a.ClientID != clientID {
		name := ""
		if c, err := s.app.store.GetClient(ctx, clientID); err == nil {
			name = c.Name
		}
		return ApprovalImport{}, backend.Errorf(backend.EInvalid, "approval.other_client", "this answer is another client's, not %s's", name).WithParam("client", name)
	}
	res, err := s.app.store.ApplyApprovalAnswer(ctx, a)
	if err != nil {
		return ApprovalImport{}, err
	}
	out := ApprovalImport{ApprovalResult: *res}
	if c, err := s.app.store.GetClient(ctx, res.ClientID); err == nil {
		out.ClientName = c.Name
	}
	s.changed()
	return out, nil
}

// packageImages gives the package its images from the library, at
// thumbnail size. Not a MediaService method: bound services' methods are
// callable from the web view, and image bytes never cross IPC.
type packageImages struct{ s *MediaService }

// PackageImage is a library image at thumbnail size, for the package.
func (p packageImages) PackageImage(ctx context.Context, id int64) (approval.Image, error) {
	s := p.s
	m, err := s.store.GetMedia(ctx, id)
	if err != nil {
		return approval.Image{}, err
	}
	out, err := s.renderOne(ctx, *m, thumbPreset, media.Centre())
	if err != nil {
		return approval.Image{}, err
	}
	data := out.Data
	if out.Path != "" {
		if data, err = os.ReadFile(out.Path); err != nil {
			return approval.Image{}, fmt.Errorf("package image %d: %w", id, err)
		}
	}
	mime := "image/jpeg"
	if out.Format == media.PNG {
		mime = "image/png"
	}
	return approval.Image{MIME: mime, Data: data, Alt: m.Alt}, nil
}

// writeFileAtomic writes b to path through a temporary file and a rename.
func writeFileAtomic(path string, b []byte) error {
	if err := atomicfile.WriteBytes(path, 0o644, b); err != nil {
		return backend.Errorf(backend.EUnavailable, "approval.unwritable", "cannot write %s: %v", path, err).WithParam("path", path)
	}
	return nil
}

// wailsApprovalDialogs opens the native dialogs (the Wails context only).
type wailsApprovalDialogs struct{ ctx func() context.Context }

func (d wailsApprovalDialogs) SavePackage(defaultName string) (string, error) {
	return runtime.SaveFileDialog(d.ctx(), runtime.SaveDialogOptions{
		Title: "Approval package", DefaultFilename: defaultName, CanCreateDirectories: true,
		Filters: []runtime.FileFilter{{DisplayName: "HTML (*.html)", Pattern: "*.html"}},
	})
}

func (d wailsApprovalDialogs) OpenAnswer() (string, error) {
	return runtime.OpenFileDialog(d.ctx(), runtime.OpenDialogOptions{
		Title:   "Import approval answer",
		Filters: []runtime.FileFilter{{DisplayName: "Text (*.txt)", Pattern: "*.txt"}, {DisplayName: "*", Pattern: "*"}},
	})
}
