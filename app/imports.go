package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"pauta/backend"
	"pauta/backend/csvimport"
)

// ImportService is bound to the frontend: import posts from a spreadsheet
// saved as CSV (dry run first, then one transaction), undo an import, save
// the rejected rows. The command line's import-csv uses it too.
type ImportService struct {
	app     *App
	dialogs CSVDialogs
}

// CSVDialogs are the file dialogs of a CSV import (Wails in the app, fakes in tests).
type CSVDialogs interface {
	OpenCSV() (string, error)
	SaveCSV(defaultName string) (string, error)
}

// ImportRequest names a file and the user's choices.
type ImportRequest struct {
	ClientID    int64  `json:"clientId"`
	Path        string `json:"path"`  // absolute
	Order       string `json:"order"` // "day-first", "month-first", "" (only unambiguous dates)
	SkipInvalid bool   `json:"skipInvalid"`
	// Expect is how many posts the preview promised: when the file changed
	// since and would create another number, nothing is written (0 = no check).
	Expect int `json:"expect"`
}

// ImportPreview is a dry run: what each row would create.
type ImportPreview struct {
	Path     string          `json:"path"`
	FileName string          `json:"fileName"`
	Label    string          `json:"label"`
	Plan     *csvimport.Plan `json:"plan"`
}

// CSVImportResult is an applied import.
type CSVImportResult struct {
	Import     backend.ImportRecord `json:"import"`
	Imported   int                  `json:"imported"`
	Rejected   int                  `json:"rejected"`
	Duplicates int                  `json:"duplicates"`
	Plan       *csvimport.Plan      `json:"plan"`
}

const csvImportTimeout = 15 * time.Minute

func (s *ImportService) context() (context.Context, context.CancelFunc) {
	return context.WithTimeout(s.app.ctx, csvImportTimeout)
}

// PickFile opens the file dialog; "" when cancelled.
func (s *ImportService) PickFile() (string, error) {
	p, err := s.dialogs.OpenCSV()
	if err != nil {
		return "", fmt.Errorf("import posts: file dialog: %w", err)
	}
	return p, nil
}

// Preview reads and checks the file without writing anything.
func (s *ImportService) Preview(req ImportRequest) (ImportPreview, error) {
	ctx, cancel := s.context()
	defer cancel()
	plan, c, err := s.plan(ctx, req)
	if err != nil {
		return ImportPreview{}, err
	}
	s.inspectImages(ctx, plan)
	return ImportPreview{Path: req.Path, FileName: filepath.Base(req.Path), Label: backend.ImportLabel(s.app.cfg.Clock.Now(), c.TimeZone), Plan: plan}, nil
}

func readCSVFile(path string) ([]byte, error) {
	if !filepath.IsAbs(path) {
		return nil, backend.Errorf(backend.EInvalid, "csv.path_relative", "the file path must be absolute").WithField("file")
	}
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, backend.Errorf(backend.ENotFound, "csv.file_missing", "%s was not found", path).WithField("file").WithParam("path", path)
	}
	if err != nil {
		return nil, backend.Errorf(backend.EUnavailable, "csv.file_unreadable", "cannot read %s: %v", path, err).WithField("file").WithParam("path", path)
	}
	if !st.Mode().IsRegular() {
		return nil, backend.Errorf(backend.EInvalid, "csv.not_a_file", "%s is not a file", path).WithField("file").WithParam("path", path)
	}
	if st.Size() > csvimport.MaxFileBytes {
		return nil, backend.Errorf(backend.EInvalid, "csv.too_big", "the file is larger than %d MB", csvimport.MaxFileBytes>>20).
			WithField("file").WithParam("max", strconv.Itoa(csvimport.MaxFileBytes>>20))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, backend.Errorf(backend.EUnavailable, "csv.file_unreadable", "cannot read %s: %v", path, err).WithField("file").WithParam("path", path)
	}
	return data, nil
}

func parseOrder(s string) (csvimport.DateOrder, error) {
	switch o := csvimport.DateOrder(s); o {
	case csvimport.DateAuto, csvimport.DayFirst, csvimport.MonthFirst:
		return o, nil
	}
	return "", backend.Errorf(backend.EInvalid, "csv.order_invalid", "unknown date order %q", s).WithField("order")
}

func (s *ImportService) plan(ctx context.Context, req ImportRequest) (*csvimport.Plan, *backend.Client, error) {
	order, err := parseOrder(req.Order)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.app.store.GetClient(ctx, req.ClientID)
	if err != nil {
		return nil, nil, err
	}
	data, err := readCSVFile(req.Path)
	if err != nil {
		return nil, nil, err
	}
	t, err := csvimport.Read(data)
	if err != nil {
		return nil, nil, err
	}
	accs, err := s.app.store.ListAccounts(ctx, c.ID)
	if err != nil {
		return nil, nil, err
	}
	existing, err := s.app.store.ListPosts(ctx, backend.PostFilter{ClientID: c.ID, Ideas: true})
	if err != nil {
		return nil, nil, err
	}
	plan, err := csvimport.Build(t, csvimport.Input{Client: *c, Accounts: accs, Existing: existing},
		csvimport.Options{Order: order, Dir: filepath.Dir(req.Path), Now: s.app.cfg.Clock.Now()})
	if err != nil {
		return nil, nil, err
	}
	return plan, c, nil
}

// Apply checks the file again and writes every row that creates a post, in
// one transaction. With rejected rows it writes nothing unless SkipInvalid.
// An image that cannot be read rejects its row.
func (s *ImportService) Apply(req ImportRequest) (CSVImportResult, error) {
	ctx, cancel := s.context()
	defer cancel()
	plan, c, err := s.plan(ctx, req)
	if err != nil {
		return CSVImportResult{}, err
	}
	s.inspectImages(ctx, plan) // as the preview did, so its counts compare
	if plan.Rejected > 0 && !req.SkipInvalid {
		return CSVImportResult{Plan: plan}, rowsRejected(plan.Rejected)
	}
	if req.Expect > 0 && plan.Create != req.Expect {
		return CSVImportResult{Plan: plan}, backend.Errorf(backend.EConflict, "csv.changed",
			"the file changed since the preview (%d posts instead of %d): check it again", plan.Create, req.Expect).
			WithParam("count", strconv.Itoa(plan.Create)).WithParam("expected", strconv.Itoa(req.Expect))
	}
	// Images: decoded and stored before the transaction; a bad one rejects its row.
	var paths []string
	seen := map[string]bool{}
	for _, r := range plan.Rows {
		for _, m := range r.Media {
			if r.Outcome == csvimport.OutCreate && !seen[m.Path] {
				seen[m.Path] = true
				paths = append(paths, m.Path)
			}
		}
	}
	sort.Strings(paths)
	imgs := s.app.Media.prepareImages(ctx, c.ID, paths)
	label := backend.ImportLabel(s.app.cfg.Clock.Now(), c.TimeZone)
	batch := &backend.ImportBatch{ClientID: c.ID, Label: label, FileName: filepath.Base(req.Path)}
	var rowOf []int // batch index → plan row index
	for i := range plan.Rows {
		r := &plan.Rows[i]
		if r.Outcome != csvimport.OutCreate {
			continue
		}
		ip := backend.ImportPost{Post: r.Post}
		for _, m := range r.Media {
			im := imgs[m.Path]
			if im.err != nil {
				e := backend.AsError(im.err)
				r.Errors = append(r.Errors, csvimport.Issue{Column: mediaColumn(plan), Key: e.Key, Params: withFile(e.Params, filepath.Base(m.Path)), Message: e.Message})
				continue
			}
			md := im.media
			md.Alt = m.Alt
			ip.Media = append(ip.Media, md)
		}
		if len(r.Errors) > 0 {
			r.Outcome = csvimport.OutError
			plan.Create--
			plan.Rejected++
			continue
		}
		batch.Posts = append(batch.Posts, ip)
		rowOf = append(rowOf, i)
	}
	if plan.Rejected > 0 && !req.SkipInvalid {
		s.app.Media.forgetImages(ctx, imgs)
		return CSVImportResult{Plan: plan}, rowsRejected(plan.Rejected)
	}
	if len(batch.Posts) == 0 { // every row already there (or skipped): nothing to write, nothing to undo
		s.app.Media.forgetImages(ctx, imgs)
		return CSVImportResult{Rejected: plan.Rejected, Duplicates: plan.Duplicates, Plan: plan}, nil
	}
	rec, err := s.app.store.ApplyImport(ctx, batch)
	if err != nil {
		s.app.Media.forgetImages(ctx, imgs)
		e := backend.AsError(err)
		if idx, convErr := strconv.Atoi(e.Params["index"]); convErr == nil && idx < len(rowOf) {
			e.WithParam("row", strconv.Itoa(plan.Rows[rowOf[idx]].Row))
		}
		return CSVImportResult{Plan: plan}, e
	}
	s.app.outbox.Wake()
	s.app.emitter.Emit(EventPostsChanged)
	if len(paths) > 0 {
		s.app.emitter.Emit(EventMediaChanged, c.ID)
	}
	return CSVImportResult{Import: rec, Imported: len(batch.Posts), Rejected: plan.Rejected, Duplicates: plan.Duplicates, Plan: plan}, nil
}

// inspectImages reads each image of the rows to create and checks its
// header (real type, size and pixel limits) so the preview rejects what the
// import would; the full decode waits for the import.
func (s *ImportService) inspectImages(ctx context.Context, plan *csvimport.Plan) {
	checked := map[string]error{}
	col := mediaColumn(plan)
	for i := range plan.Rows {
		r := &plan.Rows[i]
		if r.Outcome != csvimport.OutCreate {
			continue
		}
		for _, m := range r.Media {
			err, ok := checked[m.Path]
			if !ok {
				var data []byte
				if data, err = s.app.Media.proc.ReadFileContext(ctx, m.Path); err == nil {
					_, err = s.app.Media.proc.Inspect(filepath.Base(m.Path), data)
				}
				checked[m.Path] = err
			}
			if err != nil {
				e := backend.AsError(err)
				r.Errors = append(r.Errors, csvimport.Issue{Column: col, Key: e.Key, Params: withFile(e.Params, filepath.Base(m.Path)), Message: e.Message})
			}
		}
		if len(r.Errors) > 0 {
			r.Outcome = csvimport.OutError
			plan.Create--
			plan.Rejected++
		}
	}
}

func rowsRejected(n int) error {
	return backend.Errorf(backend.EInvalid, "csv.rows_rejected", "%d rows have errors: fix them, or skip them", n).WithParam("count", strconv.Itoa(n))
}

func mediaColumn(p *csvimport.Plan) string {
	for _, h := range p.Header {
		if csvimport.IsMediaColumn(h) {
			return h
		}
	}
	return "media"
}

func withFile(p map[string]string, name string) map[string]string {
	out := map[string]string{"file": name}
	for k, v := range p {
		out[k] = v
	}
	return out
}

// Undo removes the posts of one import (to the bin) and the images it added.
func (s *ImportService) Undo(importID int64) (int, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	n, dropped, err := s.app.store.UndoImport(ctx, importID)
	if err != nil {
		return 0, err
	}
	s.app.Media.dropUnusedFiles(ctx, dropped)
	s.app.outbox.Wake()
	s.app.emitter.Emit(EventPostsChanged)
	if len(dropped) > 0 {
		s.app.emitter.Emit(EventMediaChanged, dropped[0].ClientID)
	}
	return n, nil
}

// List returns a client's imports, newest first.
func (s *ImportService) List(clientID int64) ([]backend.ImportRecord, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	return s.app.store.ListImports(ctx, clientID)
}

// SaveRejected writes the rejected rows (header first) to a CSV the user
// picks, to fix in the spreadsheet and import again. "" when cancelled.
func (s *ImportService) SaveRejected(req ImportRequest) (string, error) {
	ctx, cancel := s.context()
	defer cancel()
	plan, _, err := s.plan(ctx, req)
	if err != nil {
		return "", err
	}
	s.inspectImages(ctx, plan)
	base := filepath.Base(req.Path)
	name := base[:len(base)-len(filepath.Ext(base))] + "-rejected.csv"
	out, err := s.dialogs.SaveCSV(name)
	if err != nil {
		return "", fmt.Errorf("save rejected rows: file dialog: %w", err)
	}
	if out == "" {
		return "", nil
	}
	if err := csvimport.WriteRejected(out, plan); err != nil {
		return "", err
	}
	return out, nil
}
