package backend_test

import (
	"fmt"
	"testing"
	"time"

	"pauta/backend"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func never(int64, time.Time) bool { return false }

// Mon–Fri at the given minutes for one account.
func weekdays(account int64, minutes ...int) []backend.Slot {
	var out []backend.Slot
	for wd := 0; wd < 5; wd++ {
		for _, m := range minutes {
			out = append(out, backend.Slot{AccountID: account, Weekday: wd, Minute: m})
		}
	}
	return out
}

func TestNextFreeSlotKeepsWallClockAcrossDST(t *testing.T) {
	cases := []struct {
		zone, after string
		slots       []backend.Slot
		wantLocal   string
		wantUTC     string
		shifted     bool
	}{
		// Friday 27 March 2026 after 10:00 Madrid → Monday 30 March 09:30 CEST (07:30 UTC), not 08:30.
		{"Europe/Madrid", "2026-03-27T09:00:00Z", weekdays(1, 9*60+30), "2026-03-30T09:30", "2026-03-30T07:30:00Z", false},
		// Autumn: Friday 23 October → Monday 26 October 09:30 CET (08:30 UTC).
		{"Europe/Madrid", "2026-10-23T09:00:00Z", weekdays(1, 9*60+30), "2026-10-26T09:30", "2026-10-26T08:30:00Z", false},
		{"Europe/Rome", "2026-03-27T12:30:00Z", weekdays(1, 13*60), "2026-03-30T13:00", "2026-03-30T11:00:00Z", false},
		{"Europe/Rome", "2026-10-23T12:00:00Z", weekdays(1, 13*60), "2026-10-26T13:00", "2026-10-26T12:00:00Z", false},
		// Mexico City has had no DST since 2022: the UTC offset stays -06:00 in April.
		{"America/Mexico_City", "2026-04-04T02:00:00Z", weekdays(1, 19*60), "2026-04-06T19:00", "2026-04-07T01:00:00Z", false},
		// A Sunday 02:30 slot on the spring-forward night moves to 03:00.
		{"Europe/Madrid", "2026-03-28T12:00:00Z", []backend.Slot{{AccountID: 1, Weekday: 6, Minute: 150}}, "2026-03-29T03:00", "2026-03-29T01:00:00Z", true},
	}
	for _, tc := range cases {
		t.Run(tc.zone+" "+tc.after, func(t *testing.T) {
			r, err := backend.NextFreeSlot(tc.zone, tc.slots, []int64{1}, never, utc(tc.after), 14)
			if err != nil {
				t.Fatal(err)
			}
			if r.Local != tc.wantLocal || r.UTC.Format(time.RFC3339) != tc.wantUTC || r.Shifted != tc.shifted {
				t.Errorf("got %s (%s) shifted=%v, want %s (%s) shifted=%v", r.Local, r.UTC.Format(time.RFC3339), r.Shifted, tc.wantLocal, tc.wantUTC, tc.shifted)
			}
		})
	}
}

func TestNextFreeSlotSkipsTakenAndPrefersShared(t *testing.T) {
	// IG: 09:30 and 13:00; FB: 13:00 only. A post for both goes to the shared 13:00.
	slots := append(weekdays(1, 9*60+30, 13*60), weekdays(2, 13*60)...)
	after := utc("2026-11-24T07:00:00Z") // Tuesday 08:00 Madrid
	r, err := backend.NextFreeSlot("Europe/Madrid", slots, []int64{1, 2}, never, after, 14)
	if err != nil || r.Local != "2026-11-24T13:00" {
		t.Fatalf("shared slot: %+v %v", r, err)
	}
	// IG alone takes 09:30; when 09:30 is taken, 13:00.
	r, _ = backend.NextFreeSlot("Europe/Madrid", slots, []int64{1}, never, after, 14)
	if r.Local != "2026-11-24T09:30" {
		t.Errorf("own slot: %+v", r)
	}
	taken := func(acc int64, at time.Time) bool { return acc == 1 && at.Equal(utc("2026-11-24T08:30:00Z")) }
	r, _ = backend.NextFreeSlot("Europe/Madrid", slots, []int64{1}, taken, after, 14)
	if r.Local != "2026-11-24T13:00" {
		t.Errorf("skip taken: %+v", r)
	}
	// Friday evening → Monday morning (no weekend slots).
	r, _ = backend.NextFreeSlot("Europe/Madrid", slots, []int64{1}, never, utc("2026-11-27T18:00:00Z"), 14)
	if r.Local != "2026-11-30T09:30" {
		t.Errorf("over the weekend: %+v", r)
	}
	// Everything taken → a clear conflict.
	all := func(int64, time.Time) bool { return true }
	_, err = backend.NextFreeSlot("Europe/Madrid", slots, []int64{1}, all, after, 14)
	if e := backend.AsError(err); e == nil || e.Key != "slot.full" {
		t.Errorf("full: %v", err)
	}
	_, err = backend.NextFreeSlot("Europe/Madrid", nil, []int64{1}, never, after, 14)
	if e := backend.AsError(err); e == nil || e.Key != "slot.none" {
		t.Errorf("no slots: %v", err)
	}
	_, err = backend.NextFreeSlot("Europe/Madrid", slots, nil, never, after, 14)
	if e := backend.AsError(err); e == nil || e.Key != "post.account_required" {
		t.Errorf("no accounts: %v", err)
	}
}

func TestGuidelineWarnings(t *testing.T) {
	c := &backend.Client{BannedWords: []string{"barato", "oferta flash"}, RequiredTags: []string{"#PanaderíaSol", "@panaderiasol"}}
	w := backend.GuidelineWarnings(c, "Pan BARATO y #panaderíasol hoy, síguenos en @panaderiasol")
	if len(w) != 1 || w[0].Key != "guidelines.banned" || w[0].Params["word"] != "barato" {
		t.Errorf("warnings %+v", w)
	}
	w = backend.GuidelineWarnings(c, "Abaratamos nada. Oferta flash!")
	got := fmt.Sprint(w)
	if len(w) != 3 || w[0].Params["word"] != "oferta flash" || w[1].Params["tag"] != "#PanaderíaSol" {
		t.Errorf("warnings %s", got)
	}
}

func TestCanReschedule(t *testing.T) {
	for st, ok := range map[backend.PostStatus]bool{
		backend.StatusDraft: true, backend.StatusScheduled: true, backend.StatusIdea: true, backend.StatusFailed: true,
		backend.StatusPublished: false, backend.StatusNeedsReview: false,
	} {
		err := backend.CanReschedule(&backend.Post{Status: st})
		if (err == nil) != ok {
			t.Errorf("%s: %v", st, err)
		}
		if err != nil && backend.ErrorCode(err) != backend.EConflict {
			t.Errorf("%s: code %s", st, backend.ErrorCode(err))
		}
	}
}
