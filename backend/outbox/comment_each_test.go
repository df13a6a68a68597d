package outbox

import (
	"encoding/json"
	"testing"

	"pauta/backend"
	"pauta/backend/platform/bluesky"
)

// Each account has its own first comment: Mastodon and Bluesky get
// different ones, a second Mastodon account none, and the Instagram
// (manual) row carries only its own hashtags to copy.
func TestFirstCommentPerAccount(t *testing.T) {
	e := newEnv(t)
	masto, bsky := newFakeMasto(t), newFakeBsky(t)
	ma := e.account(backend.Mastodon, "@sol@masto.test")
	mb := e.account(backend.Mastodon, "@sol2@masto.test")
	ba := e.account(backend.Bluesky, "@sol.test")
	ia := e.account(backend.Instagram, "solpanaderia")
	p := &backend.Post{ClientID: e.client.ID, Status: backend.StatusScheduled, BaseText: "Pan del día", ScheduledAt: &t0, TimeZone: "Europe/Madrid",
		Variants: []backend.Variant{
			{AccountID: ma.ID, FirstComment: "Receta en el blog"},
			{AccountID: mb.ID},
			{AccountID: ba.ID, FirstComment: "Receta: sol.example/pan"},
			{AccountID: ia.ID, FirstComment: "#pan #masamadre #panaderia"},
		}}
	if err := e.db.CreatePost(e.ctx, p); err != nil {
		t.Fatal(err)
	}
	o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: masto.publisher(e), backend.Bluesky: bsky.publisher(e)}, Options{})
	e.runOnce(o)
	e.runOnce(o)

	// Mastodon: two posts, one reply (to the first account's post only).
	var posts, replies []mastoStatus
	for _, s := range masto.Created() {
		if s.InReplyTo == "" {
			posts = append(posts, s)
		} else {
			replies = append(replies, s)
		}
	}
	if len(posts) != 2 || len(replies) != 1 || replies[0].Text != "Receta en el blog" {
		t.Fatalf("mastodon posts %+v replies %+v", posts, replies)
	}
	e.wantComment(p.Variants[0].ID, backend.CommentPublished)
	e.wantComment(p.Variants[1].ID, backend.CommentNone)
	if e.inDefaultView(p.Variants[1].ID) {
		t.Error("the account without a comment is still in the outbox view")
	}
	// Bluesky: its own comment.
	recs := bsky.Records()
	if len(recs) != 2 {
		t.Fatalf("bluesky records %d", len(recs))
	}
	var bc bluesky.Post
	json.Unmarshal(recs[1].Value, &bc)
	if bc.Text != "Receta: sol.example/pan" || bc.Reply == nil {
		t.Errorf("bluesky reply %s", recs[1].Value)
	}
	e.wantComment(p.Variants[2].ID, backend.CommentPublished)
	// Instagram, due by hand: its hashtags to copy, nobody else's.
	e.wantState(p.Variants[3].ID, backend.OutboxDueManual)
	if it := e.item(p.Variants[3].ID); it.FirstComment != "#pan #masamadre #panaderia" {
		t.Errorf("manual row comment %q", it.FirstComment)
	}
	// Read back through the store: each variant keeps its own.
	got, err := e.db.GetPost(e.ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Receta en el blog", "", "Receta: sol.example/pan", "#pan #masamadre #panaderia"}
	for i, v := range got.Variants {
		if v.FirstComment != want[i] {
			t.Errorf("variant %d comment %q, want %q", i, v.FirstComment, want[i])
		}
	}
	if c, same := got.CommonComment(); same || c != "" {
		t.Errorf("common comment %q %v", c, same)
	}
}
