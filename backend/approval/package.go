// Package approval makes the client's approval package (one self-contained
// HTML file and a PDF of the same posts) and reads the answer the page
// produces (issue 19). It imports only backend and the standard library
// (and the PDF library for pdf.go).
package approval

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"pauta/backend"
)

// Image is an embedded picture: small (the library's thumbnail size).
type Image struct {
	MIME string // image/jpeg or image/png
	Data []byte
	Alt  string
}

// Images gives a library image, ready-sized for the package.
type Images interface {
	PackageImage(ctx context.Context, mediaID int64) (Image, error)
}

// Store is what building a package reads and records.
type Store interface {
	backend.ApprovalStore
	GetClient(ctx context.Context, id int64) (*backend.Client, error)
	ListAccounts(ctx context.Context, clientID int64) ([]backend.Account, error)
	ListPostMedia(ctx context.Context, postID int64) ([]backend.PostMedia, error)
}

// Card is a post as it goes out to one account.
type Card struct {
	Network     backend.Network
	Handle      string
	DisplayName string
	Text        string
	// FirstComment is the reply that goes after this account's post.
	FirstComment string
}

// Item is one numbered post of the package.
type Item struct {
	Number int
	Post   backend.Post
	When   time.Time // in the client's zone
	Cards  []Card
	Images []Image
}

// Package is everything the HTML and the PDF show.
type Package struct {
	ID          string
	WorkspaceID string
	Client      backend.Client
	Lang        string
	Zone        *time.Location
	From, To    time.Time // in the client's zone; To exclusive
	Made        time.Time
	Items       []Item
}

// NextWeek is the default period: next Monday 00:00 to the Monday after, in loc.
func NextWeek(now time.Time, loc *time.Location) (time.Time, time.Time) {
	n := now.In(loc)
	days := (8 - int(n.Weekday())) % 7
	if days == 0 {
		days = 7
	}
	from := time.Date(n.Year(), n.Month(), n.Day()+days, 0, 0, 0, 0, loc)
	return from, time.Date(from.Year(), from.Month(), from.Day()+7, 0, 0, 0, 0, loc)
}

// NewID is a fresh random package id.
func NewID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// Build records a package of the client's posts in [from, to) and gathers
// what it shows. from and to are days in the client's zone (to exclusive).
func Build(ctx context.Context, st Store, img Images, workspaceID string, clientID int64, from, to, now time.Time) (*Package, error) {
	c, err := st.GetClient(ctx, clientID)
	if err != nil {
		return nil, err
	}
	loc, err := backend.LoadZone(c.TimeZone)
	if err != nil {
		return nil, err
	}
	if !to.After(from) {
		return nil, backend.Errorf(backend.EInvalid, "approval.period_invalid", "the period ends before it starts").WithField("to")
	}
	if to.Sub(from) > 93*24*time.Hour {
		return nil, backend.Errorf(backend.EInvalid, "approval.period_too_long", "a package covers at most three months").WithField("to")
	}
	id, err := NewID()
	if err != nil {
		return nil, err
	}
	accounts, err := st.ListAccounts(ctx, clientID)
	if err != nil {
		return nil, err
	}
	byID := map[int64]backend.Account{}
	for _, a := range accounts {
		byID[a.ID] = a
	}
	posts, err := st.CreateApprovalPackage(ctx, id, clientID, from.UTC(), to.UTC())
	if err != nil {
		return nil, err
	}
	p := &Package{ID: id, WorkspaceID: workspaceID, Client: *c, Lang: Lang(c.Language), Zone: loc, From: from.In(loc), To: to.In(loc), Made: now.In(loc)}
	for i, post := range posts {
		it := Item{Number: i + 1, Post: post, When: post.ScheduledAt.In(loc)}
		for _, v := range post.Variants {
			a, ok := byID[v.AccountID]
			if !ok {
				continue
			}
			it.Cards = append(it.Cards, Card{Network: a.Network, Handle: a.Handle, DisplayName: a.DisplayName, Text: v.EffectiveText(&post), FirstComment: v.FirstComment})
		}
		if len(it.Cards) == 0 { // no account yet: the text alone
			it.Cards = append(it.Cards, Card{Text: post.BaseText, FirstComment: post.FirstComment})
		}
		media, err := st.ListPostMedia(ctx, post.ID)
		if err != nil {
			return nil, err
		}
		for _, m := range media {
			im, err := img.PackageImage(ctx, m.MediaID)
			if err != nil {
				return nil, err
			}
			it.Images = append(it.Images, im)
		}
		p.Items = append(p.Items, it)
	}
	return p, nil
}

func (p *Package) words() words { return catalog[p.Lang] }

// periodText is "Monday 7 December – Sunday 13 December".
func (p *Package) periodText() string {
	w := p.words()
	return fill(w.period, "from", w.day(p.From, p.Lang), "to", w.day(p.To.Add(-time.Second), p.Lang))
}
