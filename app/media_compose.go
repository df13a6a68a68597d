package app

import (
	"context"
	"strconv"
	"time"

	"pauta/backend"
	"pauta/backend/media"
)

// AttachedImage is one of a post's images as the composer shows it.
type AttachedImage struct {
	backend.PostMedia
	Media MediaItem `json:"media"`
	// Notes are i18n keys about how the image goes out, e.g.
	// media.gif_first_frame: an animated GIF is sent as its first frame.
	Notes []string `json:"notes"`
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
		out = append(out, AttachedImage{PostMedia: it, Media: s.item(*m), Notes: s.attachNotes(*m)})
	}
	return out, nil
}

// attachNotes reads a GIF's or AVIF's header to tell an animated one (sent
// as its first frame). A file that cannot be read gets no note: publishing
// says why.
func (s *MediaService) attachNotes(m backend.Media) []string {
	notes := []string{}
	if m.Format != string(media.GIF) && m.Format != string(media.AVIF) {
		return notes
	}
	_, data, err := s.readStored(m)
	if err != nil {
		return notes
	}
	if info, err := s.proc.Inspect("", data); err == nil && info.Animated {
		notes = append(notes, media.NoteGIFFirstFrame)
	}
	return notes
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

// MediaRequired lists the networks that take no post without an image or a
// video (backend.RequiresMedia): the composer blocks Schedule for them.
func (s *MediaService) MediaRequired() []backend.Network {
	out := []backend.Network{}
	for _, n := range backend.Networks {
		if backend.RequiresMedia(n) {
			out = append(out, n)
		}
	}
	return out
}

// checkScheduledImages refuses more images than a scheduled post's networks
// take, none where a network requires one, or an image whose alt text is too long for one of them (drafts and
// ideas may carry any, like text over a limit).
func (s *MediaService) checkScheduledImages(ctx context.Context, postID int64, items []backend.PostMedia) error {
	p, err := s.store.GetPost(ctx, postID)
	if err != nil || p.Status != backend.StatusScheduled {
		return err
	}
	n := distinctMedia(items)
	ms, err := mediaOf(ctx, s.store, items)
	if err != nil {
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
		if n == 0 && backend.RequiresMedia(a.Network) {
			return mediaRequired(a)
		}
		if err := altOverLimit(a, ms); err != nil {
			return err
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

// mediaRequired is the error for a scheduled post without the image its
// account's network requires (Instagram, TikTok, Pinterest, YouTube).
func mediaRequired(a backend.Account) error {
	return backend.Errorf(backend.EInvalid, "post.media_required", "%s takes no post without an image or a video", a.Network).
		WithField("media").WithParam("network", string(a.Network)).WithParam("accountId", strconv.FormatInt(a.ID, 10))
}
