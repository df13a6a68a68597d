package app

import (
	"fmt"
	"strings"
	"time"

	"pauta/backend"
	"pauta/backend/textlimit"
)

// PlanningService is bound to the frontend: posting slots, hashtag sets,
// templates, labels and the text limits the composer counts against.
type PlanningService struct{ app *App }

// SlotView is a slot as the UI edits it.
type SlotView struct {
	AccountID int64  `json:"accountId"`
	Weekday   int    `json:"weekday"` // 0 = Monday
	Time      string `json:"time"`    // "HH:MM" in the client's zone
}

// Slots returns the posting slots of a client's accounts.
func (s *PlanningService) Slots(clientID int64) ([]SlotView, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	slots, err := s.app.store.ListSlots(ctx, clientID)
	if err != nil {
		return nil, err
	}
	out := make([]SlotView, 0, len(slots))
	for _, sl := range slots {
		out = append(out, SlotView{AccountID: sl.AccountID, Weekday: sl.Weekday, Time: sl.Clock()})
	}
	return out, nil
}

// SetSlots replaces one account's weekly slots.
func (s *PlanningService) SetSlots(accountID int64, slots []SlotView) error {
	var in []backend.Slot
	for _, v := range slots {
		t, err := time.Parse("15:04", strings.TrimSpace(v.Time))
		if err != nil {
			return backend.Errorf(backend.EInvalid, "post.time_invalid", "%q is not a time (HH:MM)", v.Time).WithField("slots")
		}
		in = append(in, backend.Slot{AccountID: accountID, Weekday: v.Weekday, Minute: t.Hour()*60 + t.Minute()})
	}
	ctx, cancel := s.app.call()
	defer cancel()
	if err := s.app.store.SetSlots(ctx, accountID, in); err != nil {
		return err
	}
	s.app.emitter.Emit(EventClientsChanged)
	return nil
}

// HashtagSets returns a client's hashtag sets.
func (s *PlanningService) HashtagSets(clientID int64) ([]backend.HashtagSet, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	return s.app.store.ListHashtagSets(ctx, clientID)
}

// SaveHashtagSet creates (ID 0) or updates a hashtag set.
func (s *PlanningService) SaveHashtagSet(h backend.HashtagSet) (backend.HashtagSet, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	err := s.app.store.SaveHashtagSet(ctx, &h)
	return h, err
}

// DeleteHashtagSet removes a hashtag set.
func (s *PlanningService) DeleteHashtagSet(id int64) error {
	ctx, cancel := s.app.call()
	defer cancel()
	return s.app.store.DeleteHashtagSet(ctx, id)
}

// Templates returns a client's templates.
func (s *PlanningService) Templates(clientID int64) ([]backend.Template, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	return s.app.store.ListTemplates(ctx, clientID)
}

// SaveAsTemplate saves a post's text, first comment and labels as a template.
func (s *PlanningService) SaveAsTemplate(postID int64, name string) (backend.Template, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	p, err := s.app.store.GetPost(ctx, postID)
	if err != nil {
		return backend.Template{}, err
	}
	// A template has one first comment: the one every account shares, else
	// the first account's that has one.
	comment, same := p.CommonComment()
	for _, v := range p.Variants {
		if !same && comment == "" {
			comment = v.FirstComment
		}
	}
	t := backend.Template{ClientID: p.ClientID, Name: name, Text: p.BaseText, FirstComment: comment, Labels: p.Labels}
	err = s.app.store.SaveTemplate(ctx, &t)
	return t, err
}

// SaveTemplate creates (ID 0) or updates a template.
func (s *PlanningService) SaveTemplate(t backend.Template) (backend.Template, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	err := s.app.store.SaveTemplate(ctx, &t)
	return t, err
}

// DeleteTemplate removes a template.
func (s *PlanningService) DeleteTemplate(id int64) error {
	ctx, cancel := s.app.call()
	defer cancel()
	return s.app.store.DeleteTemplate(ctx, id)
}

// Labels returns the labels a client's posts use, most used first.
func (s *PlanningService) Labels(clientID int64) ([]string, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	return s.app.store.ListLabels(ctx, clientID)
}

// Limits returns every network's text rule, for the composer's counters.
func (s *PlanningService) Limits() []textlimit.Rule {
	out := make([]textlimit.Rule, 0, len(backend.Networks))
	for _, n := range backend.Networks {
		out = append(out, textlimit.RuleFor(n, textlimit.Options{}))
	}
	return out
}

// Guidelines checks a text against a client's brand rules.
func (s *PlanningService) Guidelines(clientID int64, text string) ([]backend.Warning, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	c, err := s.app.store.GetClient(ctx, clientID)
	if err != nil {
		return nil, err
	}
	return backend.GuidelineWarnings(c, text), nil
}

// purgeBin removes posts deleted more than 30 days ago; run at start-up.
func (a *App) purgeBin() error {
	ctx, cancel := a.call()
	defer cancel()
	if _, err := a.store.PurgeDeleted(ctx, a.cfg.Clock.Now().AddDate(0, 0, -30)); err != nil {
		return fmt.Errorf("empty the bin: %w", err)
	}
	return nil
}
