package sqlite_test

import (
	"context"
	"testing"

	"pauta/backend"
)

func TestSlotsHashtagSetsTemplatesLabels(t *testing.T) {
	db, _ := open(t)
	ctx := context.Background()
	c := mustClient(t, db, "Sol", "Europe/Madrid")
	other := mustClient(t, db, "Luna", "Europe/Rome")
	ig := mustAccount(t, db, c.ID, backend.Instagram, "@sol")
	lx := mustAccount(t, db, other.ID, backend.X, "@luna")

	if err := db.SetSlots(ctx, ig.ID, []backend.Slot{{Weekday: 0, Minute: 570}, {Weekday: 0, Minute: 570}, {Weekday: 4, Minute: 780}}); err != nil {
		t.Fatal(err)
	}
	db.SetSlots(ctx, lx.ID, []backend.Slot{{Weekday: 1, Minute: 60}})
	wantKey(t, db.SetSlots(ctx, ig.ID, []backend.Slot{{Weekday: 7, Minute: 0}}), backend.EInvalid, "slot.invalid")
	wantKey(t, db.SetSlots(ctx, 999, nil), backend.ENotFound, "account.not_found")
	slots, err := db.ListSlots(ctx, c.ID)
	if err != nil || len(slots) != 2 || slots[0].Minute != 570 || slots[1].Weekday != 4 {
		t.Fatalf("slots %+v %v", slots, err)
	}
	if all, _ := db.ListSlots(ctx, 0); len(all) != 3 {
		t.Errorf("all slots %v", all)
	}

	h := &backend.HashtagSet{ClientID: c.ID, Name: "Pan", Tags: "#pan #masamadre"}
	if err := db.SaveHashtagSet(ctx, h); err != nil {
		t.Fatal(err)
	}
	wantKey(t, db.SaveHashtagSet(ctx, &backend.HashtagSet{ClientID: c.ID, Name: "pan", Tags: "#x"}), backend.EConflict, "hashtags.name_taken")
	wantKey(t, db.SaveHashtagSet(ctx, &backend.HashtagSet{ClientID: c.ID, Name: "vacío"}), backend.EInvalid, "hashtags.tags_required")
	h.Tags = "#pan"
	if err := db.SaveHashtagSet(ctx, h); err != nil {
		t.Fatal(err)
	}
	hs, _ := db.ListHashtagSets(ctx, c.ID)
	if len(hs) != 1 || hs[0].Tags != "#pan" {
		t.Errorf("sets %+v", hs)
	}
	if err := db.DeleteHashtagSet(ctx, h.ID); err != nil {
		t.Fatal(err)
	}
	wantKey(t, db.DeleteHashtagSet(ctx, h.ID), backend.ENotFound, "hashtags.not_found")

	tp := &backend.Template{ClientID: c.ID, Name: "Lunes", Text: "Lunes de masa madre", Labels: []string{"producto"}}
	if err := db.SaveTemplate(ctx, tp); err != nil {
		t.Fatal(err)
	}
	ts, _ := db.ListTemplates(ctx, c.ID)
	if len(ts) != 1 || ts[0].Labels[0] != "producto" || ts[0].Text != "Lunes de masa madre" {
		t.Errorf("templates %+v", ts)
	}
	wantKey(t, db.SaveTemplate(ctx, &backend.Template{ClientID: c.ID, Name: " "}), backend.EInvalid, "template.name_required")
	if err := db.DeleteTemplate(ctx, tp.ID); err != nil {
		t.Fatal(err)
	}

	for _, ls := range [][]string{{"producto", "local"}, {"producto"}, {"receta"}} {
		if err := db.CreatePost(ctx, &backend.Post{ClientID: c.ID, Status: backend.StatusIdea, Labels: ls}); err != nil {
			t.Fatal(err)
		}
	}
	labels, _ := db.ListLabels(ctx, c.ID)
	if len(labels) != 3 || labels[0] != "producto" {
		t.Errorf("labels %v", labels)
	}

	// Brand rules round-trip on the client.
	c.BannedWords = []string{"barato", " ", "Barato"}
	c.RequiredTags = []string{"#PanaderíaSol"}
	if err := db.UpdateClient(ctx, c); err != nil {
		t.Fatal(err)
	}
	got, _ := db.GetClient(ctx, c.ID)
	if len(got.BannedWords) != 1 || got.RequiredTags[0] != "#PanaderíaSol" {
		t.Errorf("brand rules %+v", got)
	}
}
