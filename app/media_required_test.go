package app

import (
	"fmt"
	"testing"

	"pauta/backend"
	"pauta/backend/media/mediatest"
)

// Instagram, TikTok, Pinterest and YouTube take no post without an image or
// a video: scheduling one is refused like an over-limit text (drafts save),
// and so is taking the last image off a scheduled one.
func TestMediaRequiredBlocksScheduling(t *testing.T) {
	a, _ := newApp(t)
	c, _ := a.Clients.Save(ClientInput{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"})
	ig, _ := a.Clients.AddAccount(AccountInput{ClientID: c.ID, Network: "instagram", Handle: "@sol"})
	x, _ := a.Clients.AddAccount(AccountInput{ClientID: c.ID, Network: "x", Handle: "@solx"})
	for _, n := range []string{"tiktok", "pinterest", "youtube"} {
		acc, _ := a.Clients.AddAccount(AccountInput{ClientID: c.ID, Network: n, Handle: "@sol" + n})
		_, err := a.Posts.Save(PostInput{ClientID: c.ID, Status: "scheduled", Text: "Pan", Date: "2026-11-30", Time: "10:00", Variants: []VariantInput{{AccountID: acc.ID}}})
		if e := wantKey(t, err, "post.media_required"); e.Params["network"] != n {
			t.Errorf("%s: %+v", n, e)
		}
	}
	_, err := a.Posts.Save(PostInput{ClientID: c.ID, Status: "scheduled", Text: "Pan", Date: "2026-11-30", Time: "10:00",
		Variants: []VariantInput{{AccountID: x.ID}, {AccountID: ig.ID}}})
	e := wantKey(t, err, "post.media_required")
	if e.Field != "media" || e.Params["network"] != "instagram" || e.Code != backend.EInvalid {
		t.Errorf("error %+v", e)
	}
	// X alone takes text; a draft for Instagram saves.
	if _, err := a.Posts.Save(PostInput{ClientID: c.ID, Status: "scheduled", Text: "Pan", Date: "2026-11-30", Time: "10:00", Variants: []VariantInput{{AccountID: x.ID}}}); err != nil {
		t.Fatalf("text-only X post: %v", err)
	}
	it := importPhoto(t, a, c.ID, "pan.jpg", mediatest.PhotoLike(200, 150, 7), "Pan", 0.5, 0.5)
	postID := draftWith(t, a, c.ID, "Pan", []int64{ig.ID}, nil)
	sched := PostInput{ID: postID, ClientID: c.ID, Status: "scheduled", Text: "Pan", Date: "2026-11-30", Time: "10:00", Variants: []VariantInput{{AccountID: ig.ID}}}
	wantKey(t, func() error { _, err := a.Posts.Save(sched); return err }(), "post.media_required")
	// With an image it schedules; taking the image off is then refused.
	if err := a.Media.SetPostMedia(postID, []backend.PostMedia{{MediaID: it.ID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Posts.Save(sched); err != nil {
		t.Fatalf("with an image: %v", err)
	}
	wantKey(t, a.Media.SetPostMedia(postID, nil), "post.media_required")
	if got, _ := a.Media.PostImages(postID); len(got) != 1 {
		t.Errorf("the image went: %+v", got)
	}
	if nets := a.Media.MediaRequired(); len(nets) != 4 || nets[0] != backend.Instagram {
		t.Errorf("MediaRequired %v", nets)
	}
}

// saveWithImage saves in as the composer does for a network that requires
// media: a draft first, a photo attached, then in's status.
func saveWithImage(t *testing.T, a *App, in PostInput) (SaveResult, error) {
	t.Helper()
	want := in.Status
	in.Status = "draft"
	res, err := a.Posts.Save(in)
	if err != nil {
		return res, err
	}
	it := importPhoto(t, a, in.ClientID, fmt.Sprintf("p%d.jpg", res.Post.ID), mediatest.PhotoLike(120, 90, uint64(res.Post.ID)*7919), "Foto", 0.5, 0.5)
	if err := a.Media.SetPostMedia(res.Post.ID, []backend.PostMedia{{MediaID: it.ID}}); err != nil {
		return res, err
	}
	in.ID, in.Status = res.Post.ID, want
	return a.Posts.Save(in)
}
