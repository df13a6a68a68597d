package app

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/gif"
	"strings"
	"testing"

	"pauta/backend"
	"pauta/backend/media/mediatest"
)

// Scheduling refuses an image whose alt text is longer than a network of the
// post takes (in Go, like text over a limit): Mastodon the instance's
// description_limit (1,500 by default), Bluesky 2,000 graphemes, X 1,000
// characters, Pinterest 500; Instagram has no known limit.
func TestAltTextLimitBlocksScheduling(t *testing.T) {
	a, _, _ := connectApp(t)
	ctx := context.Background()
	c, _ := a.Clients.Save(ClientInput{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"})
	add := func(n backend.Network, handle string) backend.Account {
		t.Helper()
		acc, err := a.Clients.AddAccount(AccountInput{ClientID: c.ID, Network: string(n), Handle: handle})
		if err != nil {
			t.Fatal(err)
		}
		return backend.Account{ID: acc.ID, Network: n}
	}
	bs := add(backend.Bluesky, "@sol.test")
	x := add(backend.X, "@sol")
	ig := add(backend.Instagram, "@sol_ig")
	pin := add(backend.Pinterest, "@sol_pin")
	masto := add(backend.Mastodon, "@sol@masto.test")
	small := add(backend.Mastodon, "@sol@small.test")
	// The second instance's own limit, as connecting stores it.
	accs, err := a.store.ListAccounts(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, acc := range accs {
		if acc.ID == small.ID {
			acc.Limits.DescriptionLimit = 420
			if err := a.store.UpdateAccountConnection(ctx, &acc); err != nil {
				t.Fatal(err)
			}
		}
	}
	family := "👩‍👩‍👧" // one grapheme, five characters

	cases := []struct {
		name string
		acc  backend.Account
		alt  string
		max  string // "" = schedules
		used string
	}{
		{"bluesky at its limit", bs, strings.Repeat("a", 2000), "", ""},
		{"bluesky over", bs, strings.Repeat("a", 2001), "2000", "2001"},
		{"bluesky counts graphemes", bs, strings.Repeat(family, 1000), "", ""},
		{"x at its limit", x, strings.Repeat("ñ", 1000), "", ""},
		{"x over", x, strings.Repeat("ñ", 1001), "1000", "1001"},
		{"x counts characters", x, strings.Repeat(family, 201), "1000", "1005"},
		{"mastodon default over", masto, strings.Repeat("a", 1501), "1500", "1501"},
		{"mastodon default at its limit", masto, strings.Repeat("a", 1500), "", ""},
		{"mastodon instance limit", small, strings.Repeat("a", 421), "420", "421"},
		{"mastodon under the instance limit", small, strings.Repeat("a", 420), "", ""},
		{"pinterest over", pin, strings.Repeat("p", 501), "500", "501"},
		{"instagram has no known limit", ig, strings.Repeat("i", 5000), "", ""},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			it := importPhoto(t, a, c.ID, "alt"+itoa(int64(i))+".jpg", mediatest.PhotoLike(120, 90, uint64(100+i)), tc.alt, 0.5, 0.5)
			postID := draftWith(t, a, c.ID, "Texto corto", []int64{tc.acc.ID}, []backend.PostMedia{{MediaID: it.ID}})
			_, err := a.Posts.Save(PostInput{ID: postID, ClientID: c.ID, Status: "scheduled", Text: "Texto corto", Date: "2026-11-30", Time: "10:00",
				Variants: []VariantInput{{AccountID: tc.acc.ID}}})
			if tc.max == "" {
				if err != nil {
					t.Fatalf("schedule: %v", err)
				}
				return
			}
			e := wantKey(t, err, "media.alt_over_limit")
			if e.Code != backend.EInvalid || e.Field != "media" || e.Params["network"] != string(tc.acc.Network) || e.Params["max"] != tc.max ||
				e.Params["used"] != tc.used || e.Params["name"] != it.Name || e.Params["mediaId"] != itoa(it.ID) || e.Params["accountId"] != itoa(tc.acc.ID) {
				t.Errorf("error %+v", e)
			}
			if p, _ := a.Posts.Get(postID); p.Status != "draft" {
				t.Errorf("the refused post is %s", p.Status)
			}
		})
	}

	if m := a.Media.MaxAltText(); m[backend.Mastodon] != 1500 || m[backend.Bluesky] != 2000 || m[backend.X] != 1000 || m[backend.Pinterest] != 500 || m[backend.Instagram] != 0 {
		t.Errorf("max alt text %v", m)
	}
}

// A scheduled post cannot get an image whose alt text is too long for its
// networks; alt text made longer after scheduling fails the variant with a
// reason that needs no params, before anything is sent.
func TestAltTextLimitOnScheduledPost(t *testing.T) {
	a, _, _ := connectApp(t)
	c, _ := a.Clients.Save(ClientInput{Name: "Luna", TimeZone: "Europe/Rome", Language: "it"})
	bs, _ := a.Clients.AddAccount(AccountInput{ClientID: c.ID, Network: "bluesky", Handle: "@luna.test"})
	short := importPhoto(t, a, c.ID, "breve.jpg", mediatest.PhotoLike(120, 90, 7), "Un gatto al sole", 0.5, 0.5)
	long := importPhoto(t, a, c.ID, "lungo.jpg", mediatest.PhotoLike(120, 90, 8), strings.Repeat("gatto ", 400), 0.5, 0.5)
	postID := draftWith(t, a, c.ID, "Gatti", []int64{bs.ID}, []backend.PostMedia{{MediaID: short.ID}})
	schedule(t, a, postID)

	err := a.Media.SetPostMedia(postID, []backend.PostMedia{{MediaID: short.ID}, {MediaID: long.ID}})
	if e := wantKey(t, err, "media.alt_over_limit"); e.Params["name"] != "lungo.jpg" || e.Params["max"] != "2000" {
		t.Errorf("error %+v", e)
	}
	if got, _ := a.Media.PostImages(postID); len(got) != 1 || got[0].MediaID != short.ID {
		t.Errorf("images after the refusal: %+v", got)
	}

	if _, err := a.Media.Update(short.ID, strings.Repeat("sole ", 401), 0.5, 0.5); err != nil {
		t.Fatal(err)
	}
	var req backend.PublishRequest
	e := wantKey(t, a.Media.preparePublish(context.Background(), jobFor(t, a, postID, bs.ID), &req), "media.publish_alt_too_long")
	if e.Code != backend.EInvalid || len(e.Params) != 0 || len(req.Media) != 0 {
		t.Errorf("publish with a long alt: %+v, %d files", e, len(req.Media))
	}
}

// gifBytes encodes a GIF with the given number of frames.
func gifBytes(t *testing.T, frames int) []byte {
	t.Helper()
	pal := color.Palette{color.White, color.Black, color.RGBA{200, 40, 40, 255}}
	g := &gif.GIF{}
	for i := range frames {
		img := image.NewPaletted(image.Rect(0, 0, 64, 48), pal)
		for y := range 48 {
			for x := range 64 {
				img.SetColorIndex(x, y, uint8((x/8+y/8+i)%3))
			}
		}
		g.Image = append(g.Image, img)
		g.Delay = append(g.Delay, 10)
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, g); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// An animated GIF goes out as its first frame: the composer's image carries
// the note; a still GIF and a JPEG carry none.
func TestAttachedAnimatedGIFHasFirstFrameNote(t *testing.T) {
	a, _, _ := connectApp(t)
	c, _ := a.Clients.Save(ClientInput{Name: "Mar", TimeZone: "Europe/Madrid", Language: "es"})
	ig, _ := a.Clients.AddAccount(AccountInput{ClientID: c.ID, Network: "instagram", Handle: "@mar"})
	rep, err := a.Media.Import(c.ID, []string{write(t, "baile.gif", gifBytes(t, 3)), write(t, "quieto.gif", gifBytes(t, 1))})
	if err != nil || rep.Imported != 2 {
		t.Fatalf("import: %+v %v", rep, err)
	}
	photo := importPhoto(t, a, c.ID, "foto.jpg", mediatest.PhotoLike(120, 90, 3), "Playa", 0.5, 0.5)
	anim, still := rep.Results[0].Media, rep.Results[1].Media
	postID := draftWith(t, a, c.ID, "GIFs", []int64{ig.ID}, []backend.PostMedia{{MediaID: anim.ID}, {MediaID: still.ID}, {MediaID: photo.ID}})
	got, err := a.Media.PostImages(postID)
	if err != nil || len(got) != 3 {
		t.Fatalf("post images: %+v %v", got, err)
	}
	if n := got[0].Notes; len(n) != 1 || n[0] != "media.gif_first_frame" {
		t.Errorf("animated GIF notes %v", n)
	}
	for _, im := range got[1:] {
		if im.Notes == nil || len(im.Notes) != 0 {
			t.Errorf("%s notes %#v", im.Media.Name, im.Notes)
		}
	}
}
