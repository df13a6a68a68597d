package backend

import (
	"context"
	"strings"
	"time"
)

// ClientArchive is everything Pauta keeps about one client, without ids or
// secrets, as a client archive carries it: accounts are named by Key
// ("network:handle"), images by content hash.
type ClientArchive struct {
	Client      ArchiveClient    `json:"client"`
	Accounts    []ArchiveAccount `json:"accounts"`
	Posts       []ArchivePost    `json:"posts"`
	Media       []ArchiveMedia   `json:"media"`
	Slots       []ArchiveSlot    `json:"slots"`
	HashtagSets []ArchiveTags    `json:"hashtagSets"`
	Templates   []ArchiveTmpl    `json:"templates"`
	// The client's inbox kit (#14): saved replies and the crisis plan's
	// alert words (format 2; absent in format 1).
	SavedReplies []ArchiveReply `json:"savedReplies,omitempty"`
	AlertWords   []string       `json:"alertWords,omitempty"`
}

// ArchiveReply is a saved reply of the client.
type ArchiveReply struct {
	Title  string   `json:"title"`
	Text   string   `json:"text"`
	Tags   []string `json:"tags"`
	Crisis bool     `json:"crisis"`
}

// ArchiveFigures are a published variant's figures (#15), fetched from the
// network or typed by hand.
type ArchiveFigures struct {
	Replies   int       `json:"replies"`
	Reposts   int       `json:"reposts"`
	Likes     int       `json:"likes"`
	Quotes    int       `json:"quotes"`
	Reach     *int      `json:"reach,omitempty"`
	Saves     *int      `json:"saves,omitempty"`
	Source    string    `json:"source"` // network | manual
	Deleted   bool      `json:"deleted,omitempty"`
	FetchedAt time.Time `json:"fetchedAt"`
}

// ArchiveClient is a client without its id.
type ArchiveClient struct {
	Name         string   `json:"name"`
	Color        string   `json:"color"`
	TimeZone     string   `json:"timeZone"`
	Language     string   `json:"language"`
	Guidelines   string   `json:"guidelines"`
	BannedWords  []string `json:"bannedWords"`
	RequiredTags []string `json:"requiredTags"`
}

// ArchiveAccount is an account without its token (tokens never leave the
// keychain): it comes back disconnected.
type ArchiveAccount struct {
	Key         string        `json:"key"` // network:handle, lower case
	Network     Network       `json:"network"`
	Handle      string        `json:"handle"`
	DisplayName string        `json:"displayName"`
	ServiceURL  string        `json:"serviceUrl"`
	Limits      AccountLimits `json:"limits"`
}

// ArchivePost is a post with its variants, images and publishing history.
// FirstComment is Post.FirstComment: archives of format 2 carry the comment
// here for every account; on import it goes to each variant without one.
type ArchivePost struct {
	Status       PostStatus       `json:"status"`
	BaseText     string           `json:"baseText"`
	FirstComment string           `json:"firstComment"`
	ScheduledAt  *time.Time       `json:"scheduledAt"`
	TimeZone     string           `json:"timeZone"`
	Labels       []string         `json:"labels"`
	Sequence     int              `json:"sequence"`
	CreatedAt    time.Time        `json:"createdAt"`
	Variants     []ArchiveVariant `json:"variants"`
	Media        []string         `json:"media"` // hashes, in order
}

// ArchiveVariant is a post as it went (or goes) to one account.
type ArchiveVariant struct {
	Account      string          `json:"account"` // ArchiveAccount.Key
	Text         string          `json:"text"`
	FirstComment string          `json:"firstComment"` // since format 3
	State        string          `json:"state"`        // published, or pending
	RemoteURL    string          `json:"remoteUrl"`
	PublishedAt  *time.Time      `json:"publishedAt"`
	Figures      *ArchiveFigures `json:"figures,omitempty"`
}

// ArchiveMedia is a library image; its file is media/<hash><ext> in the archive.
type ArchiveMedia struct {
	Hash   string  `json:"hash"`
	Name   string  `json:"name"`
	Format string  `json:"format"`
	Bytes  int64   `json:"bytes"`
	Width  int     `json:"width"`
	Height int     `json:"height"`
	Alt    string  `json:"alt"`
	FocalX float64 `json:"focalX"`
	FocalY float64 `json:"focalY"`
}

// ArchiveSlot is a weekly posting slot of an account.
type ArchiveSlot struct {
	Account string `json:"account"`
	Weekday int    `json:"weekday"`
	Minute  int    `json:"minute"`
}

// ArchiveTags is a hashtag set.
type ArchiveTags struct {
	Name string `json:"name"`
	Tags string `json:"tags"`
}

// ArchiveTmpl is a template.
type ArchiveTmpl struct {
	Name         string   `json:"name"`
	Text         string   `json:"text"`
	FirstComment string   `json:"firstComment"`
	Labels       []string `json:"labels"`
}

// ArchiveStore reads a client out as an archive and writes one back.
type ArchiveStore interface {
	ReadClientArchive(ctx context.Context, clientID int64) (*ClientArchive, error)
	// WriteClientArchive creates the client (renamed "Name (2)"… when the
	// name is taken) with everything in a, in one transaction, with new ids.
	WriteClientArchive(ctx context.Context, a *ClientArchive) (*Client, error)
}

// AccountKey names an account inside an archive.
func AccountKey(n Network, handle string) string {
	return string(n) + ":" + lower(handle)
}

func lower(s string) string { return strings.ToLower(s) }
