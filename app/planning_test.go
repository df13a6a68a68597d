package app

import (
	"strconv"
	"strings"
	"testing"

	"pauta/backend"
)

type fixture struct {
	a           *App
	sol, luna   backend.Client
	ig, fb, lig backend.Account
}

func planFixture(t *testing.T) fixture {
	t.Helper()
	a, _ := newApp(t)
	sol, err := a.Clients.Save(ClientInput{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es", BannedWords: []string{"barato"}, RequiredTags: []string{"#PanaderíaSol"}})
	if err != nil {
		t.Fatal(err)
	}
	luna, _ := a.Clients.Save(ClientInput{Name: "Luna", TimeZone: "Europe/Rome", Language: "it"})
	ig, _ := a.Clients.AddAccount(AccountInput{ClientID: sol.ID, Network: "instagram", Handle: "@sol"})
	fb, _ := a.Clients.AddAccount(AccountInput{ClientID: sol.ID, Network: "facebook", Handle: "sol"})
	lig, _ := a.Clients.AddAccount(AccountInput{ClientID: luna.ID, Network: "instagram", Handle: "@luna"})
	return fixture{a, sol, luna, ig, fb, lig}
}

func TestMoveRules(t *testing.T) {
	f := planFixture(t)
	res, err := saveWithImage(t, f.a, PostInput{ClientID: f.sol.ID, Status: "scheduled", Text: "Pan #PanaderíaSol", Date: "2026-11-25", Time: "09:30", Variants: []VariantInput{{AccountID: f.ig.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	moved, err := f.a.Posts.Move(res.Post.ID, "2026-11-27", "18:00")
	if err != nil || moved.Post.Local != "2026-11-27T18:00" || moved.Post.Status != "scheduled" {
		t.Fatalf("move %+v %v", moved, err)
	}
	// Published posts do not move (the calendar rolls back).
	ctx, cancel := f.a.call()
	p, _ := f.a.store.GetPost(ctx, res.Post.ID)
	p.Status = backend.StatusPublished
	if err := f.a.store.UpdatePost(ctx, p); err != nil {
		t.Fatal(err)
	}
	cancel()
	_, err = f.a.Posts.Move(res.Post.ID, "2026-11-28", "10:00")
	if e := wantKey(t, err, "post.published_locked"); e.Code != backend.EConflict {
		t.Errorf("code %s", e.Code)
	}
	after, _ := f.a.Posts.Get(res.Post.ID)
	if after.Local != "2026-11-27T18:00" {
		t.Errorf("refused move changed the post: %s", after.Local)
	}
	// Dragging an idea onto the calendar makes it a draft.
	idea, _ := f.a.Posts.Save(PostInput{ClientID: f.sol.ID, Status: "idea", Text: "someday"})
	ideas, _ := f.a.Posts.Ideas(f.sol.ID)
	if len(ideas) != 1 || ideas[0].ID != idea.Post.ID {
		t.Fatalf("ideas %+v", ideas)
	}
	placed, err := f.a.Posts.Move(idea.Post.ID, "2026-11-26", "12:00")
	if err != nil || placed.Post.Status != "draft" {
		t.Errorf("idea placed %+v %v", placed, err)
	}
	if ideas, _ := f.a.Posts.Ideas(0); len(ideas) != 0 {
		t.Errorf("ideas left %+v", ideas)
	}
	f.a.Posts.Save(PostInput{ClientID: f.luna.ID, Status: "idea", Text: "archived"})
	f.a.Clients.SetArchived(f.luna.ID, true)
	if ideas, _ := f.a.Posts.Ideas(0); len(ideas) != 0 {
		t.Errorf("an archived client's idea listed: %+v", ideas)
	}
}

func TestDeleteUndo(t *testing.T) {
	f := planFixture(t)
	res, _ := f.a.Posts.Save(PostInput{ClientID: f.sol.ID, Status: "draft", Text: "x", Date: "2026-11-25", Time: "09:30", Variants: []VariantInput{{AccountID: f.ig.ID}}})
	if err := f.a.Posts.Delete(res.Post.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ := f.a.Posts.List(PostQuery{From: "2026-11-25", To: "2026-11-25"}); len(list) != 0 {
		t.Error("deleted post still on the calendar")
	}
	if err := f.a.Posts.Restore(res.Post.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ := f.a.Posts.List(PostQuery{From: "2026-11-25", To: "2026-11-25"}); len(list) != 1 || len(list[0].Variants) != 1 {
		t.Errorf("undo lost the post: %+v", list)
	}
}

func TestLimitsBlockSchedulingNotDrafts(t *testing.T) {
	f := planFixture(t)
	xAcc, _ := f.a.Clients.AddAccount(AccountInput{ClientID: f.sol.ID, Network: "x", Handle: "@solx"})
	long := strings.Repeat("pan ", 80) // 320 > 280
	_, err := f.a.Posts.Save(PostInput{ClientID: f.sol.ID, Status: "scheduled", Text: long, Date: "2026-11-25", Time: "09:30",
		Variants: []VariantInput{{AccountID: f.ig.ID}, {AccountID: xAcc.ID}}})
	e := wantKey(t, err, "post.over_limit")
	if e.Params["network"] != "x" || e.Params["limit"] != "280" || e.Params["used"] != "320" {
		t.Errorf("params %v", e.Params)
	}
	// A per-network override within the limit fixes it.
	if _, err := saveWithImage(t, f.a, PostInput{ClientID: f.sol.ID, Status: "scheduled", Text: long, Date: "2026-11-25", Time: "09:30",
		Variants: []VariantInput{{AccountID: f.ig.ID}, {AccountID: xAcc.ID, Text: "pan corto"}}}); err != nil {
		t.Errorf("override within limit: %v", err)
	}
	if _, err := f.a.Posts.Save(PostInput{ClientID: f.sol.ID, Status: "draft", Text: long, Date: "2026-11-25", Time: "09:30",
		Variants: []VariantInput{{AccountID: xAcc.ID}}}); err != nil {
		t.Errorf("a draft over the limit must save: %v", err)
	}
	_, err = f.a.Posts.Save(PostInput{ClientID: f.sol.ID, Status: "scheduled", Text: "#a #b #c #d #e #f", Date: "2026-11-25", Time: "09:30",
		Variants: []VariantInput{{AccountID: f.ig.ID}}})
	wantKey(t, err, "post.too_many_hashtags")
	_, err = f.a.Posts.Save(PostInput{ClientID: f.sol.ID, Status: "scheduled", Text: "corto", FirstComment: long, Date: "2026-11-25", Time: "09:30",
		Variants: []VariantInput{{AccountID: xAcc.ID}}})
	if e := wantKey(t, err, "post.over_limit"); e.Field != "firstComment" || e.Params["accountId"] != strconv.FormatInt(xAcc.ID, 10) {
		t.Errorf("first comment over the limit: %+v", e)
	}
	if n := len(f.a.Planning.Limits()); n != 11 {
		t.Errorf("limits for %d networks", n)
	}
}

func TestGuidelinesWarnOnSave(t *testing.T) {
	f := planFixture(t)
	res, err := f.a.Posts.Save(PostInput{ClientID: f.sol.ID, Status: "draft", Text: "Pan barato", Date: "2026-11-25", Time: "09:30", Variants: []VariantInput{{AccountID: f.ig.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 2 || res.Warnings[0].Key != "guidelines.banned" || res.Warnings[1].Key != "guidelines.missing" {
		t.Errorf("warnings %+v", res.Warnings)
	}
	w, _ := f.a.Planning.Guidelines(f.sol.ID, "Pan de siempre #PanaderíaSol")
	if len(w) != 0 {
		t.Errorf("clean text warned: %+v", w)
	}
}

func TestDuplicateToDayAndClient(t *testing.T) {
	f := planFixture(t)
	src, _ := saveWithImage(t, f.a, PostInput{ClientID: f.sol.ID, Status: "scheduled", Text: "Pan", FirstComment: "link en bio", Labels: []string{"producto"}, Date: "2026-11-25", Time: "09:30",
		Variants: []VariantInput{{AccountID: f.ig.ID, Text: "Pan IG"}, {AccountID: f.fb.ID}}})
	same, err := f.a.Posts.Duplicate(DuplicateInput{ID: src.Post.ID, Date: "2026-11-26"})
	if err != nil || same.Post.Local != "2026-11-26T09:30" || same.Post.Status != "draft" || len(same.Post.Variants) != 2 ||
		same.Post.Variants[0].FirstComment != "link en bio" || same.Post.Variants[1].FirstComment != "link en bio" {
		t.Fatalf("same client %+v %v", same, err)
	}
	other, err := f.a.Posts.Duplicate(DuplicateInput{ID: src.Post.ID, ClientID: f.luna.ID, Date: "2026-11-26", Time: "10:00"})
	if err != nil || other.Post.ClientID != f.luna.ID || other.Post.TimeZone != "Europe/Rome" || len(other.Post.Variants) != 1 ||
		other.Post.Variants[0].AccountID != f.lig.ID || other.Post.Variants[0].Text != "Pan IG" || other.Post.Local != "2026-11-26T10:00" ||
		other.Post.Variants[0].FirstComment != "link en bio" {
		t.Fatalf("other client %+v %v", other, err)
	}
}

func TestQueueUsesNextFreeSlot(t *testing.T) {
	f := planFixture(t) // now: Tuesday 24 Nov 2026 10:00 UTC = 11:00 Madrid
	var slots []SlotView
	for wd := 0; wd < 5; wd++ {
		slots = append(slots, SlotView{Weekday: wd, Time: "09:30"}, SlotView{Weekday: wd, Time: "13:00"})
	}
	if err := f.a.Planning.SetSlots(f.fb.ID, slots); err != nil {
		t.Fatal(err)
	}
	if err := f.a.Planning.SetSlots(f.fb.ID+100, slots); backend.ErrorCode(err) != backend.ENotFound {
		t.Errorf("slots for a missing account: %v", err)
	}
	wantKey(t, f.a.Planning.SetSlots(f.fb.ID, []SlotView{{Weekday: 1, Time: "9h"}}), "post.time_invalid")
	got, _ := f.a.Planning.Slots(f.sol.ID)
	if len(got) != 10 || got[0].Time != "09:30" {
		t.Fatalf("slots %+v", got)
	}
	want := []string{"2026-11-24T13:00", "2026-11-25T09:30", "2026-11-25T13:00"}
	for i, w := range want {
		res, err := f.a.Posts.Queue(PostInput{ClientID: f.sol.ID, Text: "q", Variants: []VariantInput{{AccountID: f.fb.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Post.Local != w || res.Post.Status != "scheduled" {
			t.Errorf("queued %d at %s (%s), want %s", i, res.Post.Local, res.Post.Status, w)
		}
	}
	_, err := f.a.Posts.Queue(PostInput{ClientID: f.sol.ID, Text: "q", Variants: []VariantInput{{AccountID: f.ig.ID}}})
	wantKey(t, err, "slot.none")
}

func TestHashtagSetsTemplatesLabelsService(t *testing.T) {
	f := planFixture(t)
	h, err := f.a.Planning.SaveHashtagSet(backend.HashtagSet{ClientID: f.sol.ID, Name: "Pan", Tags: "#pan #masamadre"})
	if err != nil || h.ID == 0 {
		t.Fatal(err)
	}
	if hs, _ := f.a.Planning.HashtagSets(f.sol.ID); len(hs) != 1 {
		t.Errorf("sets %+v", hs)
	}
	f.a.Planning.DeleteHashtagSet(h.ID)
	src, _ := f.a.Posts.Save(PostInput{ClientID: f.sol.ID, Status: "idea", Text: "Lunes de pan", Labels: []string{"producto"}})
	tp, err := f.a.Planning.SaveAsTemplate(src.Post.ID, "Lunes")
	if err != nil || tp.Text != "Lunes de pan" || tp.Labels[0] != "producto" {
		t.Fatalf("template %+v %v", tp, err)
	}
	_, err = f.a.Planning.SaveAsTemplate(src.Post.ID, "lunes")
	wantKey(t, err, "template.name_taken")
	if ts, _ := f.a.Planning.Templates(f.sol.ID); len(ts) != 1 {
		t.Errorf("templates %+v", ts)
	}
	if ls, _ := f.a.Planning.Labels(f.sol.ID); len(ls) != 1 || ls[0] != "producto" {
		t.Errorf("labels %v", ls)
	}
}
