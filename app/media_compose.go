package app

import (
	"context"
	"time"

	"pauta/backend"
	"pauta/backend/media"
)

// AttachedImage is one of a post's images as the composer shows it.
type AttachedImage struct {
	backend.PostMedia
	Media MediaItem `json:"media"`
}

// PostImages returns a post's images in order, with their library details.
func (s *MediaService) PostImages(postID int64) ([]AttachedImage, error) {
	ctx, cancel := context.WithTimeout(s.ctx(), 30*time.Second)
	defer cancel()
	items, err := s.store.ListPostMedia(ctx, postID)
	if err != nil {
		return nil, err
	}
	out := make([]AttachedImage, 0, len(items))
	for _, it := range items {
		m, err := s.store.GetMedia(ctx, it.MediaID)
		if err != nil {
			return nil, err
		}
		out = append(out, AttachedImage{PostMedia: it, Media: s.item(*m)})
	}
	return out, nil
}

// MaxImages is how many images a post may carry per network (0 = no known
// limit); a Mastodon account's own instance limit (Account.Limits.MaxMedia)
// takes precedence over the value given here.
func (s *MediaService) MaxImages() map[backend.Network]int {
	out := map[backend.Network]int{}
	for _, n := range backend.Networks {
		out[n] = backend.MaxImages(n, backend.AccountLimits{})
	}
	return out
}

// checkScheduledImages refuses more images than a scheduled post's networks
// take (drafts and ideas may carry any number, like text over a limit).
func (s *MediaService) checkScheduledImages(ctx context.Context, postID int64, n int) error {
	p, err := s.store.GetPost(ctx, postID)
	if err != nil || p.Status != backend.StatusScheduled {
		return err
	}
	accs, err := s.store.ListAccounts(ctx, p.ClientID)
	if err != nil {
		return err
	}
	byID := map[int64]backend.Account{}
	for _, a := range accs {
		byID[a.ID] = a
	}
	for _, v := range p.Variants {
		a, ok := byID[v.AccountID]
		if !ok {
			continue
		}
		if max := backend.MaxImages(a.Network, a.Limits); max > 0 && n > max {
			return tooManyImages(a, n, max)
		}
	}
	return nil
}

// presetsAllowed reports whether every chosen preset belongs to its network.
func presetsAllowed(items []backend.PostMedia) error {
	for _, it := range items {
		for n, id := range it.Presets {
			p, ok := media.PresetByID(id)
			if !ok || p.Network != n {
				return backend.Errorf(backend.EInvalid, "media.preset_invalid", "%q is not a preset for %s", id, n).
					WithParam("preset", id).WithParam("network", string(n))
			}
		}
	}
	return nil
}
