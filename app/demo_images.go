package app

import (
	"context"

	"pauta/backend"
	"pauta/backend/demo"
	"pauta/backend/media/edit"
)

// demoImages gives the demo's posts for networks that take no post without
// an image (Instagram…) one: a graphic per client in its colour, made by
// the image editor's renderer and stored in its library like any image, so
// the demo shows posts that could really be scheduled.
func (a *App) demoImages(ctx context.Context, r demo.Report) error {
	for _, name := range r.Clients {
		c, err := a.store.FindClientByName(ctx, name)
		if err != nil || c == nil {
			continue
		}
		accs, err := a.store.ListAccounts(ctx, c.ID)
		if err != nil {
			return err
		}
		needs := map[int64]bool{}
		for _, acc := range accs {
			needs[acc.ID] = backend.RequiresMedia(acc.Network)
		}
		posts, err := a.store.ListPosts(ctx, backend.PostFilter{ClientID: c.ID, Ideas: true})
		if err != nil {
			return err
		}
		var img *MediaItem
		for _, p := range posts {
			if p.Status != backend.StatusScheduled && p.Status != backend.StatusDraft {
				continue
			}
			want := false
			for _, v := range p.Variants {
				want = want || needs[v.AccountID]
			}
			if !want {
				continue
			}
			if have, err := a.store.ListPostMedia(ctx, p.ID); err != nil || len(have) > 0 {
				continue
			}
			if img == nil {
				m, err := a.Edit.graphic(ctx, c.ID, c.Name, demoCard(c))
				if err != nil {
					return err
				}
				img = &m
			}
			if err := a.store.SetPostMedia(ctx, p.ID, []backend.PostMedia{{PostID: p.ID, MediaID: img.ID, Position: 0}}); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoCard is a 1080×1350 card in the client's colour with its name.
func demoCard(c *backend.Client) edit.Recipe {
	colour := "#1d3557"
	if _, err := edit.ParseColor(c.Color); err == nil {
		colour = c.Color
	}
	return edit.Recipe{V: edit.Version, Canvas: &edit.Canvas{Width: 1080, Height: 1350, Color: colour},
		Texts: []edit.Text{{Text: c.Name, Font: "go-bold", Size: 0.08, Color: "#ffffff", Align: "center", X: 0.5, Y: 0.5, MaxWidth: 0.8, Shadow: true}}}
}
