package app

import (
	"path/filepath"
	"strconv"

	"pauta/backend"
	"pauta/backend/csvimport"
	"pauta/backend/figimport"
)

// FiguresImportRequest names an insights export and the account it is of.
type FiguresImportRequest struct {
	ClientID  int64  `json:"clientId"`
	AccountID int64  `json:"accountId"` // 0: the manual account most rows match (by link, then by time)
	Path      string `json:"path"`      // absolute
	// Expect is how many posts the preview matched: when the file changed
	// since and would update another number, nothing is written (0 = no check).
	Expect int `json:"expect"`
}

// FiguresAccount is a manual account the figures can be imported for.
type FiguresAccount struct {
	ID      int64           `json:"id"`
	Network backend.Network `json:"network"`
	Handle  string          `json:"handle"`
}

// FiguresPreview is a dry run of a figures import.
type FiguresPreview struct {
	FileName  string           `json:"fileName"`
	AccountID int64            `json:"accountId"` // the account matched against
	Accounts  []FiguresAccount `json:"accounts"`
	Plan      *figimport.Plan  `json:"plan"`
}

// PreviewFigures reads an insights export and says, row by row, which
// published post it would update and why others are left out. Nothing is written.
func (s *ReportService) PreviewFigures(req FiguresImportRequest) (FiguresPreview, error) {
	pv, _, err := s.figuresPlan(req)
	return pv, err
}

// ImportFigures applies a figures file: every matched row's figures are
// stored as entered by hand, in one transaction. A file with invalid rows,
// or with no row matching a post, writes nothing.
func (s *ReportService) ImportFigures(req FiguresImportRequest) (int, error) {
	pv, acc, err := s.figuresPlan(req)
	if err != nil {
		return 0, err
	}
	p := pv.Plan
	if p.Invalid > 0 {
		return 0, backend.Errorf(backend.EInvalid, "figimport.invalid_rows", "%d rows have figures that are not whole numbers of zero or more: fix them in the file and check again", p.Invalid).
			WithField("file").WithParam("count", strconv.Itoa(p.Invalid))
	}
	if p.Matched == 0 {
		return 0, backend.Errorf(backend.EInvalid, "figimport.no_matches", "no row of the file matches a published post of %s", acc.Handle).
			WithField("file").WithParam("account", acc.Handle)
	}
	if req.Expect > 0 && p.Matched != req.Expect {
		return 0, backend.Errorf(backend.EConflict, "figimport.file_changed", "the file changed since it was checked: check it again").WithField("file")
	}
	ctx, cancel := s.app.call()
	defer cancel()
	if err := s.app.store.SaveManualMetricsAll(ctx, p.Updates()); err != nil {
		return 0, err
	}
	s.app.emitter.Emit(EventMetricsChanged)
	return p.Matched, nil
}

func (s *ReportService) figuresPlan(req FiguresImportRequest) (FiguresPreview, backend.Account, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	c, err := s.app.store.GetClient(ctx, req.ClientID)
	if err != nil {
		return FiguresPreview{}, backend.Account{}, err
	}
	loc, err := backend.LoadZone(c.TimeZone)
	if err != nil {
		return FiguresPreview{}, backend.Account{}, err
	}
	accs, err := s.app.store.ListAccounts(ctx, c.ID)
	if err != nil {
		return FiguresPreview{}, backend.Account{}, err
	}
	pv := FiguresPreview{FileName: filepath.Base(req.Path), Accounts: []FiguresAccount{}}
	manual := []backend.Account{}
	for _, a := range accs {
		if !a.Network.Direct() {
			manual = append(manual, a)
			pv.Accounts = append(pv.Accounts, FiguresAccount{ID: a.ID, Network: a.Network, Handle: a.Handle})
		}
	}
	if len(manual) == 0 {
		return pv, backend.Account{}, backend.Errorf(backend.EInvalid, "figimport.no_manual_account", "%s has no account whose figures are entered by hand", c.Name).
			WithParam("client", c.Name)
	}
	data, err := readCSVFile(req.Path)
	if err != nil {
		return pv, backend.Account{}, err
	}
	table, err := csvimport.Read(data)
	if err != nil {
		return pv, backend.Account{}, err
	}
	plan := func(a backend.Account) (*figimport.Plan, error) {
		targets, err := s.app.store.FigureTargets(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		return figimport.Build(table, a.Network, targets, loc)
	}
	var chosen backend.Account
	var best *figimport.Plan
	if req.AccountID != 0 {
		for _, a := range manual {
			if a.ID == req.AccountID {
				chosen = a
			}
		}
		if chosen.ID == 0 {
			return pv, backend.Account{}, backend.Errorf(backend.EInvalid, "figimport.account_invalid", "that account is not one of %s's accounts entered by hand", c.Name).
				WithField("account").WithParam("client", c.Name)
		}
		if best, err = plan(chosen); err != nil {
			return pv, chosen, err
		}
	} else {
		// The account the file is of: the one most rows match by link, then
		// by time; on a tie the first (the user can pick another).
		score := -1
		for _, a := range manual {
			p, err := plan(a)
			if err != nil {
				return pv, a, err
			}
			n := 0
			for _, r := range p.Rows {
				switch r.Match {
				case "link":
					n += 1000
				case "time":
					n++
				}
			}
			if n > score {
				chosen, best, score = a, p, n
			}
		}
	}
	pv.AccountID, pv.Plan = chosen.ID, best
	return pv, chosen, nil
}
