package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"pauta/backend"
	"pauta/backend/atomicfile"
	"pauta/backend/csvimport"
)

// CSVExportRequest picks a client and a period ("YYYY-MM-DD", inclusive, in
// the client's zone; "" = open). Ideas (no date) always go with it.
type CSVExportRequest struct {
	ClientID int64  `json:"clientId"`
	From     string `json:"from"`
	To       string `json:"to"`
}

// CSVExportResult says where the file went ("" = the dialog was cancelled).
type CSVExportResult struct {
	Path   string `json:"path"`
	Posts  int    `json:"posts"`
	Images int    `json:"images"`
}

// ExportCSV writes a client's posts of a period as CSV in the import's own
// format (a file picked in the save dialog), their images copied into a
// folder beside it, so the file imports again as it is.
func (s *ImportService) ExportCSV(req CSVExportRequest) (CSVExportResult, error) {
	ctx, cancel := s.context()
	defer cancel()
	c, err := s.app.store.GetClient(ctx, req.ClientID)
	if err != nil {
		return CSVExportResult{}, err
	}
	out, err := s.dialogs.SaveCSV(safeName(c.Name) + ".csv")
	if err != nil {
		return CSVExportResult{}, fmt.Errorf("export csv: file dialog: %w", err)
	}
	if out == "" {
		return CSVExportResult{}, nil
	}
	return s.exportCSV(ctx, c, req, out)
}

func (s *ImportService) exportCSV(ctx context.Context, c *backend.Client, req CSVExportRequest, out string) (CSVExportResult, error) {
	for _, d := range []string{req.From, req.To} {
		if d == "" {
			continue
		}
		if _, err := time.Parse("2006-01-02", d); err != nil {
			return CSVExportResult{}, backend.Errorf(backend.EInvalid, "post.date_invalid", "%q is not a date (YYYY-MM-DD)", d).WithParam("value", d)
		}
	}
	posts, err := s.app.store.ListPosts(ctx, backend.PostFilter{ClientID: c.ID, Ideas: true})
	if err != nil {
		return CSVExportResult{}, err
	}
	zones := backend.Zones{}
	kept := posts[:0]
	for _, p := range posts {
		if p.ScheduledAt != nil {
			day := zones.Local(*p.ScheduledAt, p.TimeZone)[:10]
			if (req.From != "" && day < req.From) || (req.To != "" && day > req.To) {
				continue
			}
		}
		kept = append(kept, p)
	}
	accs, err := s.app.store.ListAccounts(ctx, c.ID)
	if err != nil {
		return CSVExportResult{}, err
	}
	byID := map[int64]backend.Account{}
	for _, a := range accs {
		byID[a.ID] = a
	}
	// Images: each library file once, as <folder>/<media id>/<name>.
	base := strings.TrimSuffix(filepath.Base(out), filepath.Ext(out))
	folder := base + "-media"
	images := map[int64][]csvimport.ExportImage{}
	copied := map[int64]string{}
	for _, p := range kept {
		pm, err := s.app.store.ListPostMedia(ctx, p.ID)
		if err != nil {
			return CSVExportResult{}, err
		}
		sort.Slice(pm, func(i, j int) bool { return pm[i].Position < pm[j].Position })
		ms, err := mediaOf(ctx, s.app.store, pm)
		if err != nil {
			return CSVExportResult{}, err
		}
		for _, m := range ms {
			rel, ok := copied[m.ID]
			if !ok {
				rel = folder + "/" + strconv.FormatInt(m.ID, 10) + "/" + safeName(m.Name) // the import names the image by its file name
				src, err := s.app.Media.filePath(m.Hash, m.Format)
				if err != nil {
					return CSVExportResult{}, err
				}
				if err := copyFile(src, filepath.Join(filepath.Dir(out), filepath.FromSlash(rel))); err != nil {
					return CSVExportResult{}, backend.Errorf(backend.EUnavailable, "csv.write_failed", "cannot copy %s: %v", m.Name, err).WithParam("path", out)
				}
				copied[m.ID] = rel
			}
			images[p.ID] = append(images[p.ID], csvimport.ExportImage{Path: rel, Alt: m.Alt})
		}
	}
	if err := csvimport.WriteRecords(out, csvimport.ExportRecords(kept, byID, images)); err != nil {
		return CSVExportResult{}, err
	}
	return CSVExportResult{Path: out, Posts: len(kept), Images: len(copied)}, nil
}

// safeName keeps a file name readable but free of separators the CSV cells
// and file systems use.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '/', '\\', ':', '*', '?', '"', '<', '>', '|', ';', ',', '\n', '\r', '\t':
			return '_'
		}
		return r
	}, filepath.Base(s))
	if s == "" || s == "." || s == ".." {
		return "file"
	}
	return s
}

// copyFile copies src to dst through a temp file and a rename.
func copyFile(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return atomicfile.Write(dst, 0o600, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}
