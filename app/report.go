package app

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"pauta/backend"
	"pauta/backend/report"
)

// KeyUserName is the setting with the user's name, printed on reports.
const KeyUserName = "user.name"

// ReportService is bound to the frontend: a client's report for a period,
// the objectives, the CM's texts, figures typed by hand and the exports.
type ReportService struct {
	app       *App
	opener    FolderOpener // shows the reports folder after an export
	exporting sync.Mutex   // one export at a time: a second click is refused
}

// ReportQuery picks a client and a period: a month "2026-11", or From and
// To (days, both included).
type ReportQuery struct {
	ClientID int64  `json:"clientId"`
	Month    string `json:"month"`
	From     string `json:"from"`
	To       string `json:"to"`
}

// ReportView is the report with what the screen shows beside it.
type ReportView struct {
	Report *report.Report `json:"report"`
	Lang   string         `json:"lang"`   // the client's report language (es, it, en)
	Author string         `json:"author"` // the user's name from Settings
}

func (s *ReportService) load(ctx context.Context, q ReportQuery) (*report.Report, error) {
	c, err := s.app.store.GetClient(ctx, q.ClientID)
	if err != nil {
		return nil, err
	}
	loc, err := backend.LoadZone(c.TimeZone)
	if err != nil {
		return nil, err
	}
	var p report.Period
	if q.Month != "" {
		p, err = report.MonthPeriod(q.Month, loc)
	} else {
		p, err = report.DaysPeriod(q.From, q.To, loc)
	}
	if err != nil {
		return nil, err
	}
	inbox, _ := any(s.app.store).(backend.InboxReader) // the inbox (#14) once its store reads items
	return report.Load(ctx, s.app.store, inbox, c, p)
}

// Get computes the report of a client's period.
func (s *ReportService) Get(q ReportQuery) (*ReportView, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	r, err := s.load(ctx, q)
	if err != nil {
		return nil, err
	}
	author, _, _ := s.app.store.GetSetting(ctx, KeyUserName)
	return &ReportView{Report: r, Lang: report.Lang(r.Client.Language), Author: author}, nil
}

// SaveText stores the CM's summary and next month's plan for a period.
func (s *ReportService) SaveText(t backend.ReportText) error {
	ctx, cancel := s.app.call()
	defer cancel()
	return s.app.store.SaveReportText(ctx, &t)
}

// Objectives returns a client's targets for a month.
func (s *ReportService) Objectives(clientID int64, month string) (*backend.Objectives, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	return s.app.store.GetObjectives(ctx, clientID, month)
}

// ObjectivesInput is the objectives form: numbers as typed ("" = none).
type ObjectivesInput struct {
	ClientID             int64             `json:"clientId"`
	Month                string            `json:"month"`
	PostsPerNetwork      map[string]string `json:"postsPerNetwork"`
	Interactions         string            `json:"interactions"`
	FollowersGained      string            `json:"followersGained"`
	FirstResponseMinutes string            `json:"firstResponseMinutes"`
}

// SaveObjectives stores a client's targets; text where a number belongs is
// refused with the field named.
func (s *ReportService) SaveObjectives(in ObjectivesInput) error {
	o := backend.Objectives{ClientID: in.ClientID, Month: in.Month, PostsPerNetwork: map[backend.Network]int{}}
	for n, v := range in.PostsPerNetwork {
		p, err := number(v, "postsPerNetwork."+n, false)
		if err != nil {
			return err
		}
		if p != nil {
			o.PostsPerNetwork[backend.Network(n)] = *p
		}
	}
	var err error
	if o.Interactions, err = number(in.Interactions, "interactions", false); err != nil {
		return err
	}
	if o.FollowersGained, err = number(in.FollowersGained, "followersGained", true); err != nil {
		return err
	}
	if o.FirstResponseMinutes, err = number(in.FirstResponseMinutes, "firstResponseMinutes", false); err != nil {
		return err
	}
	ctx, cancel := s.app.call()
	defer cancel()
	return s.app.store.SaveObjectives(ctx, &o)
}

var grouped = regexp.MustCompile(`^-?\d{1,3}([.,\s\x{00a0}]\d{3})+$`)

// number reads a whole number typed by the user ("" = none).
func number(s, field string, negative bool) (*int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if grouped.MatchString(s) { // 1.234 / 1,234 / 1 234: thousands as people type them
		s = strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' || r == '-' {
				return r
			}
			return -1
		}, s)
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil, backend.Errorf(backend.EInvalid, "report.figure_not_number", "%q is not a whole number", s).WithField(field)
	}
	if n < 0 && !negative {
		return nil, backend.Errorf(backend.EInvalid, "report.figure_negative", "a figure cannot be negative").WithField(field)
	}
	return &n, nil
}

// ManualVariant is a published variant of a manual network in a post's
// detail: the fields its network shows and what was typed.
type ManualVariant struct {
	VariantID int64            `json:"variantId"`
	Network   backend.Network  `json:"network"`
	Handle    string           `json:"handle"`
	Published bool             `json:"published"`
	Fields    []string         `json:"fields"`
	Figures   *backend.Figures `json:"figures"`
}

// ManualFigures lists a post's variants whose figures are typed by hand.
func (s *ReportService) ManualFigures(postID int64) ([]ManualVariant, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	p, err := s.app.store.GetPost(ctx, postID)
	if err != nil {
		return nil, err
	}
	out := []ManualVariant{}
	rows := map[int64]backend.ReportPost{}
	if p.ScheduledAt != nil {
		from, to := p.ScheduledAt.AddDate(-1, 0, 0), p.ScheduledAt.AddDate(1, 0, 0)
		if list, err := s.app.store.ReportPosts(ctx, p.ClientID, from, to); err == nil {
			for _, r := range list {
				if r.PostID == postID {
					rows[r.VariantID] = r
				}
			}
		}
	}
	for _, v := range p.Variants {
		acc, err := s.app.store.GetAccount(ctx, v.AccountID)
		if err != nil || acc.Network.Direct() {
			continue
		}
		r, published := rows[v.ID]
		out = append(out, ManualVariant{VariantID: v.ID, Network: acc.Network, Handle: acc.Handle, Published: published,
			Fields: backend.ManualFields(acc.Network), Figures: r.Figures})
	}
	return out, nil
}

// ManualInput is the figures form of one variant, as typed ("" = empty).
type ManualInput struct {
	Likes    string `json:"likes"`
	Comments string `json:"comments"`
	Shares   string `json:"shares"`
	Reach    string `json:"reach"`
	Saves    string `json:"saves"`
}

// SaveManualFigures stores figures typed for a published manual variant.
func (s *ReportService) SaveManualFigures(variantID int64, in ManualInput) error {
	var f backend.ManualFigures
	for _, x := range []struct {
		s     string
		field string
		dst   **int
	}{{in.Likes, "likes", &f.Likes}, {in.Comments, "comments", &f.Comments}, {in.Shares, "shares", &f.Shares}, {in.Reach, "reach", &f.Reach}, {in.Saves, "saves", &f.Saves}} {
		n, err := number(x.s, x.field, false)
		if err != nil {
			return err
		}
		*x.dst = n
	}
	ctx, cancel := s.app.call()
	defer cancel()
	if err := s.app.store.SaveManualMetrics(ctx, variantID, f); err != nil {
		return err
	}
	s.app.emitter.Emit(EventMetricsChanged)
	return nil
}

// Author is the user's name printed on reports.
func (s *ReportService) Author() (string, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	v, _, err := s.app.store.GetSetting(ctx, KeyUserName)
	return v, err
}

// SetAuthor stores the user's name printed on reports.
func (s *ReportService) SetAuthor(name string) error {
	name = strings.TrimSpace(name)
	if len([]rune(name)) > backend.MaxNameLen {
		return backend.Errorf(backend.EInvalid, "report.author_too_long", "a name has at most %d characters", backend.MaxNameLen).WithField("author")
	}
	ctx, cancel := s.app.call()
	defer cancel()
	return s.app.store.SetSetting(ctx, KeyUserName, name)
}

// ExportRequest is an export from the report screen.
type ExportRequest struct {
	Query      ReportQuery `json:"query"`
	Separator  string      `json:"separator"`  // CSV: ";", "," or "" (by the client's language)
	OpenFolder bool        `json:"openFolder"` // show the file in the file manager when done
}

// ExportPDF writes the report's PDF into the workspace's reports folder and
// returns its path.
func (s *ReportService) ExportPDF(req ExportRequest) (string, error) {
	ctx, cancel := context.WithTimeout(s.app.ctx, 2*time.Minute)
	defer cancel()
	return s.export(req, ".pdf", func(path string, r *report.Report, author string) error {
		return report.WritePDF(path, r, report.PDFOptions{Author: author, Now: s.app.cfg.Clock.Now(), Thumb: s.app.reportThumbs(ctx)})
	})
}

// ExportCSV writes the period's posts as CSV into the reports folder.
func (s *ReportService) ExportCSV(req ExportRequest) (string, error) {
	var sep rune
	switch req.Separator {
	case "":
	case ";", ",":
		sep = rune(req.Separator[0])
	default:
		return "", backend.Errorf(backend.EInvalid, "report.separator_invalid", "unknown separator %q", req.Separator).WithField("separator")
	}
	return s.export(req, ".csv", func(path string, r *report.Report, _ string) error {
		return report.WriteCSV(path, r, report.CSVOptions{Separator: sep})
	})
}

func (s *ReportService) export(req ExportRequest, ext string, write func(string, *report.Report, string) error) (string, error) {
	if !s.exporting.TryLock() {
		return "", backend.Errorf(backend.EConflict, "report.export_running", "an export is already running: wait for it to finish")
	}
	defer s.exporting.Unlock()
	ctx, cancel := context.WithTimeout(s.app.ctx, 2*time.Minute)
	defer cancel()
	r, err := s.load(ctx, req.Query)
	if err != nil {
		return "", err
	}
	author, _, _ := s.app.store.GetSetting(ctx, KeyUserName)
	dir := s.Folder()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", backend.Errorf(backend.EUnavailable, "report.output_unwritable", "cannot write %s: %v", dir, err).WithParam("path", dir).WithParam("reason", err.Error())
	}
	name := r.Period.Month
	if name == "" {
		name = r.Period.FromDay + "_" + r.Period.LastDay(reportZone(r.Client.TimeZone))
	}
	path := filepath.Join(dir, fileSafe(r.Client.Name)+" "+name+ext)
	if err := write(path, r, author); err != nil {
		return "", err
	}
	if req.OpenFolder && s.opener != nil {
		if err := s.opener.OpenFolder(dir); err != nil {
			return path, err
		}
	}
	return path, nil
}

// Folder is where exported reports go: "reports" in the workspace folder.
func (s *ReportService) Folder() string { return filepath.Join(s.app.cfg.DataDir, "reports") }

func reportZone(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return time.UTC
}

// fileSafe keeps letters, digits, spaces and a few marks of a client's name.
func fileSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' || r == '-' || r == '_' || r == '.' {
			b.WriteRune(r)
		} else {
			b.WriteRune('_')
		}
	}
	out := strings.Trim(b.String(), " .")
	if out == "" {
		out = "report"
	}
	return out
}
