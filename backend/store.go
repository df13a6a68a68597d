package backend

import (
	"context"
	"time"
)

// PostFilter selects posts for the calendar. Zero values mean "any".
type PostFilter struct {
	ClientID  int64
	From, To  time.Time // scheduled_at in [From, To); both zero = every post
	Ideas     bool      // include posts with no date (ideas)
	OnlyIdeas bool      // only posts with no date
}

// ClientStore keeps clients.
type ClientStore interface {
	ListClients(ctx context.Context, includeArchived bool) ([]Client, error)
	GetClient(ctx context.Context, id int64) (*Client, error)
	FindClientByName(ctx context.Context, name string) (*Client, error)
	CreateClient(ctx context.Context, c *Client) error
	UpdateClient(ctx context.Context, c *Client) error
	SetClientArchived(ctx context.Context, id int64, archived bool) error
}

// AccountStore keeps accounts.
type AccountStore interface {
	ListAccounts(ctx context.Context, clientID int64) ([]Account, error) // clientID 0 = all
	GetAccount(ctx context.Context, id int64) (*Account, error)
	UpdateAccountConnection(ctx context.Context, a *Account) error
	CreateAccount(ctx context.Context, a *Account) error
	// DeleteAccount removes a and its variants; scheduled posts left with no
	// account go back to draft, so nothing is published to nowhere.
	DeleteAccount(ctx context.Context, id int64) error
	// AccountChoice is the accounts last picked for a new post of the
	// client (known false: never picked, the composer picks them all);
	// SetAccountChoice remembers them (only the client's own accounts).
	AccountChoice(ctx context.Context, clientID int64) (ids []int64, known bool, err error)
	SetAccountChoice(ctx context.Context, clientID int64, ids []int64) error
}

// PostStore keeps posts with their variants and labels.
type PostStore interface {
	ListPosts(ctx context.Context, f PostFilter) ([]Post, error)
	GetPost(ctx context.Context, id int64) (*Post, error)
	CreatePost(ctx context.Context, p *Post) error
	UpdatePost(ctx context.Context, p *Post) error
	DeletePost(ctx context.Context, id int64) error // soft: restorable
	RestorePost(ctx context.Context, id int64) error
	PurgeDeleted(ctx context.Context, before time.Time) (int, error)
}

// PlanningStore keeps what helps plan a week: slots, hashtag sets,
// templates and the labels in use.
type PlanningStore interface {
	ListSlots(ctx context.Context, clientID int64) ([]Slot, error)
	SetSlots(ctx context.Context, accountID int64, slots []Slot) error
	ListHashtagSets(ctx context.Context, clientID int64) ([]HashtagSet, error)
	SaveHashtagSet(ctx context.Context, h *HashtagSet) error
	DeleteHashtagSet(ctx context.Context, id int64) error
	ListTemplates(ctx context.Context, clientID int64) ([]Template, error)
	SaveTemplate(ctx context.Context, t *Template) error
	DeleteTemplate(ctx context.Context, id int64) error
	ListLabels(ctx context.Context, clientID int64) ([]string, error)
}

// SettingsStore keeps small app settings (language, first-run choice).
type SettingsStore interface {
	GetSetting(ctx context.Context, key string) (string, bool, error)
	SetSetting(ctx context.Context, key, value string) error
}

// WorkspaceIDKey is the setting holding the workspace's random identity
// (created by the store when it opens the workspace for writing).
const WorkspaceIDKey = "workspace.id"

// Store is everything the app needs from persistence.
type Store interface {
	ClientStore
	AccountStore
	PostStore
	PlanningStore
	SettingsStore
	OutboxStore
}
