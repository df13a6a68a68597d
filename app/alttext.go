package app

import (
	"context"
	"strconv"

	"pauta/backend"
	"pauta/backend/textlimit"
)

// Alt text per network: each network takes alt text up to its own length
// (backend.MaxAltText). Like text over a limit, a draft may carry a longer
// one; scheduling refuses it, so the network does not refuse it at publish time.

// mediaReader is what loading a post's images needs.
type mediaReader interface {
	ListPostMedia(ctx context.Context, postID int64) ([]backend.PostMedia, error)
	GetMedia(ctx context.Context, id int64) (*backend.Media, error)
}

// postMediaOf returns the library rows of a post's images, in order.
func postMediaOf(ctx context.Context, st mediaReader, postID int64) ([]backend.Media, error) {
	items, err := st.ListPostMedia(ctx, postID)
	if err != nil {
		return nil, err
	}
	return mediaOf(ctx, st, items)
}

// mediaOf returns the library rows of items, once each, in order.
func mediaOf(ctx context.Context, st mediaReader, items []backend.PostMedia) ([]backend.Media, error) {
	out := make([]backend.Media, 0, len(items))
	seen := map[int64]bool{}
	for _, it := range items {
		if seen[it.MediaID] {
			continue
		}
		seen[it.MediaID] = true
		m, err := st.GetMedia(ctx, it.MediaID)
		if backend.ErrorCode(err) == backend.ENotFound {
			continue // SetPostMedia refuses it; publishing says it is missing
		}
		if err != nil {
			return nil, err
		}
		out = append(out, *m)
	}
	return out, nil
}

// altOverLimit is media.alt_over_limit for the first image whose alt text
// is longer than account a's network takes; nil when every one fits.
func altOverLimit(a backend.Account, ms []backend.Media) error {
	max := backend.MaxAltText(a.Network, a.Limits)
	if max <= 0 {
		return nil
	}
	for _, m := range ms {
		if used := textlimit.AltTextLength(a.Network, m.Alt); used > max {
			return backend.Errorf(backend.EInvalid, "media.alt_over_limit", "the alt text of %s has %d characters; %s takes at most %d", m.Name, used, a.Network, max).
				WithField("media").WithParam("network", string(a.Network)).WithParam("accountId", strconv.FormatInt(a.ID, 10)).
				WithParam("mediaId", strconv.FormatInt(m.ID, 10)).WithParam("name", m.Name).
				WithParam("used", strconv.Itoa(used)).WithParam("max", strconv.Itoa(max))
		}
	}
	return nil
}

// MaxAltText is how long alt text may be per network (0 = no known limit):
// Bluesky counts graphemes, the others characters. A Mastodon account's own
// instance limit (Account.Limits.DescriptionLimit) takes precedence over the
// value given here.
func (s *MediaService) MaxAltText() map[backend.Network]int {
	out := map[backend.Network]int{}
	for _, n := range backend.Networks {
		out[n] = backend.MaxAltText(n, backend.AccountLimits{})
	}
	return out
}
