package backend

import (
	"context"
	"math"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Media is one image in a client's library. The file itself is stored once
// per content hash (shared by every client that imported it); the row holds
// what is particular to this client: name, alt text, focal point.
type Media struct {
	ID       int64  `json:"id"`
	ClientID int64  `json:"clientId"`
	Hash     string `json:"hash"`   // sha256 of the file, lower-case hex
	Name     string `json:"name"`   // the original file name, without folders
	Format   string `json:"format"` // jpeg, png, gif, webp (from the content)
	Bytes    int64  `json:"bytes"`
	Width    int    `json:"width"`  // upright, after EXIF orientation
	Height   int    `json:"height"` // upright
	Alt      string `json:"alt"`    // alternative text ("" = missing)
	// FocalX, FocalY is the point every crop keeps in frame, as fractions of
	// the upright width and height (0.5, 0.5 = centre).
	FocalX    float64   `json:"focalX"`
	FocalY    float64   `json:"focalY"`
	Uses      int       `json:"uses"` // non-deleted posts carrying it (read only)
	CreatedAt time.Time `json:"createdAt"`
	// SourceID and Recipe: an edited image was rendered from the library
	// image SourceID with Recipe (JSON, backend/media/edit); 0 and "" for
	// an imported one. Editing again starts from the source.
	SourceID int64  `json:"sourceId"`
	Recipe   string `json:"recipe"`
}

// MaxStoredAltText bounds alt text in the library: the store only refuses
// absurd lengths; each network's own limit (MaxAltText) is checked where a
// post is scheduled.
const MaxStoredAltText = 5000

// MaxAltText is how long an image's alt text may be on network n (0 = no
// known limit), from shared/reference/platforms.md §3: Mastodon the
// instance's description_limit (1,500 by default), Bluesky 2,000 graphemes
// (the official app's limit; the app.bsky.embed.images lexicon sets none),
// X 1,000 characters, Pinterest 500. Bluesky counts graphemes, the others
// characters (code points): textlimit.AltTextLength counts the same way.
func MaxAltText(n Network, l AccountLimits) int {
	switch n {
	case Mastodon:
		if l.DescriptionLimit > 0 {
			return l.DescriptionLimit
		}
		return 1500
	case Bluesky:
		return 2000
	case X:
		return 1000
	case Pinterest:
		return 500
	}
	return 0
}

var hashRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ValidHash reports whether h is a sha256 in lower-case hex: the only form
// ever used to build a file path.
func ValidHash(h string) bool { return hashRE.MatchString(h) }

// Normalize trims m's text fields and checks what the store relies on.
func (m *Media) Normalize() error {
	m.Name = strings.TrimSpace(m.Name)
	if m.Name == "" {
		m.Name = "image"
	}
	if utf8.RuneCountInString(m.Name) > 255 {
		m.Name = string([]rune(m.Name)[:255])
	}
	if !ValidHash(m.Hash) {
		return Errorf(EInvalid, "media.hash_invalid", "bad content hash %q", m.Hash)
	}
	if m.Width <= 0 || m.Height <= 0 || m.Bytes <= 0 {
		return Errorf(EInvalid, "media.corrupt", "%s has no pixels", m.Name).WithParam("reason", "damaged")
	}
	return CheckMediaMeta(&m.Alt, &m.FocalX, &m.FocalY)
}

// CheckMediaMeta trims alt text and checks it and the focal point.
func CheckMediaMeta(alt *string, fx, fy *float64) error {
	*alt = strings.TrimSpace(*alt)
	if n := utf8.RuneCountInString(*alt); n > MaxStoredAltText {
		return Errorf(EInvalid, "media.alt_too_long", "alt text has %d characters, more than %d", n, MaxStoredAltText).
			WithField("alt").WithParam("max", "5000")
	}
	for _, v := range []float64{*fx, *fy} {
		if math.IsNaN(v) || v < 0 || v > 1 {
			return Errorf(EInvalid, "media.focal_invalid", "the focal point must be inside the image").WithField("focal")
		}
	}
	*fx = math.Round(*fx*1000) / 1000
	*fy = math.Round(*fy*1000) / 1000
	return nil
}

// PostMedia is an image attached to a post, in order. Presets overrides the
// preset a network's variant gets (network → preset id); a missing network
// uses that network's default preset.
type PostMedia struct {
	PostID   int64              `json:"postId"`
	MediaID  int64              `json:"mediaId"`
	Position int                `json:"position"`
	Presets  map[Network]string `json:"presets"`
}

// MediaStore keeps the media library and which posts carry which images.
type MediaStore interface {
	// CreateMedia inserts m. When the client already has an image with the
	// same hash, m is filled from that row and created is false.
	CreateMedia(ctx context.Context, m *Media) (created bool, err error)
	GetMedia(ctx context.Context, id int64) (*Media, error)
	// ListMedia returns a client's images, newest first; search ("" = all)
	// matches the name or the alt text, case-insensitively.
	ListMedia(ctx context.Context, clientID int64, search string) ([]Media, error)
	UpdateMediaMeta(ctx context.Context, id int64, alt string, focalX, focalY float64) (*Media, error)
	// DeleteMedia removes an image no non-deleted post uses (EConflict
	// media.in_use otherwise, with param "posts"). Links from posts in the
	// bin go with it.
	DeleteMedia(ctx context.Context, id int64) error
	// UnusedMedia lists a client's images no non-deleted post carries.
	UnusedMedia(ctx context.Context, clientID int64) ([]Media, error)
	// HashInUse reports whether any client's library still has this file.
	HashInUse(ctx context.Context, hash string) (bool, error)
	// SetPostMedia replaces a post's images (same client only).
	SetPostMedia(ctx context.Context, postID int64, items []PostMedia) error
	ListPostMedia(ctx context.Context, postID int64) ([]PostMedia, error)
}

// RequiresMedia says whether a network takes no post without an image or a
// video: Instagram, TikTok, Pinterest and YouTube publish media, not text.
func RequiresMedia(n Network) bool {
	switch n {
	case Instagram, TikTok, Pinterest, YouTube:
		return true
	}
	return false
}

// MaxImages is how many images one post may carry on network n (0 = no
// known limit), from shared/reference/platforms.md §3: Bluesky and X 4,
// Mastodon the instance's max_media_attachments (4 by default), Instagram
// and Facebook 10, Threads 20, Pinterest 5, TikTok 35, Google Business 1.
// LinkedIn and YouTube have no documented limit here.
func MaxImages(n Network, l AccountLimits) int {
	switch n {
	case Mastodon:
		if l.MaxMedia > 0 {
			return l.MaxMedia
		}
		return 4
	case Bluesky, X:
		return 4
	case Instagram, Facebook:
		return 10
	case Threads:
		return 20
	case Pinterest:
		return 5
	case TikTok:
		return 35
	case GoogleBusiness:
		return 1
	}
	return 0
}
