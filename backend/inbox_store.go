package backend

import (
	"context"
	"strings"
	"time"
	"unicode"
)

// What the inbox keeps beyond the fetched notifications (issue #14): the
// per-account sync state, saved replies, the crisis plan and the tags.

// EventInboxChanged is the app's "inbox:changed" event: items arrived or
// changed state (no data; the UI refetches). EventInboxAlert carries the
// ids of new items that matched an alert word (desktop notification).
const (
	EventInboxChanged = "inbox:changed"
	EventInboxAlert   = "inbox:alert"
)

// DefaultInboxTags are a client's tags until the user edits them.
var DefaultInboxTags = []string{"question", "praise", "complaint", "crisis", "lead"}

// InboxSync is where an account's fetching stands.
type InboxSync struct {
	AccountID int64  `json:"accountId"`
	Mark      string `json:"mark"`  // newest fetched (NotificationQuery.Since)
	Older     string `json:"older"` // cursor of "load older": history before the first sync ("" = none left)
	// Gap: a poll hit its cap before the mark (a week offline); the next
	// passes read down from GapFrom to GapUntil (the old mark).
	Gap      bool   `json:"gap"`
	GapFrom  string `json:"gapFrom"`
	GapUntil string `json:"gapUntil"`
	// MarkRead: the user turned on moving the network's read marker.
	MarkRead   bool       `json:"markRead"`
	ReadMark   string     `json:"readMark"` // the mark last sent to the network
	SyncedAt   *time.Time `json:"syncedAt"`
	NextSyncAt *time.Time `json:"nextSyncAt"`
	Failures   int        `json:"failures"` // consecutive failures: the backoff exponent
	// ListenMarks: per watched hashtag or keyword, the newest status read.
	ListenMarks map[string]string `json:"listenMarks"`
	ErrorCode   string            `json:"errorCode"`
	ErrorKey    string            `json:"errorKey"`
	Error       string            `json:"error"`
	ErrorParams map[string]string `json:"errorParams"`
}

// InboxFilter selects inbox items. Zero values mean "any".
type InboxFilter struct {
	ClientID  int64       `json:"clientId"`
	AccountID int64       `json:"accountId"`
	Network   Network     `json:"network"`
	Kinds     []InboxKind `json:"kinds"`
	States    []string    `json:"states"` // InboxNew, InboxDone, InboxSnoozed
	Tag       string      `json:"tag"`
	Pinned    bool        `json:"pinned"`
	Offset    int         `json:"offset"`
	Limit     int         `json:"limit"` // 0: 100
}

// InboxSummary is one row for the boosts, likes or follows of one post
// (follows: of the account) on one day (UTC).
type InboxSummary struct {
	AccountID int64          `json:"accountId"`
	ClientID  int64          `json:"clientId"`
	Kind      InboxKind      `json:"kind"`
	AboutID   string         `json:"aboutId"`
	Day       string         `json:"day"` // YYYY-MM-DD
	Count     int            `json:"count"`
	New       int            `json:"new"`     // how many are not done
	Authors   []RemoteAuthor `json:"authors"` // the newest (the others on demand: InboxAuthors)
	Newest    time.Time      `json:"newest"`
	IDs       []int64        `json:"ids"` // the items, to mark them done together
}

// SavedReply is a prepared answer, per client or shared (ClientID 0).
// Crisis replies are the holding replies of the client's crisis plan.
type SavedReply struct {
	ID        int64     `json:"id"`
	ClientID  int64     `json:"clientId"`
	Title     string    `json:"title"`
	Text      string    `json:"text"` // may hold {name} and {handle}
	Tags      []string  `json:"tags"`
	Crisis    bool      `json:"crisis"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// Validate checks a saved reply before it is stored.
func (r *SavedReply) Validate() error {
	r.Title, r.Text = strings.TrimSpace(r.Title), strings.TrimSpace(r.Text)
	if r.Title == "" {
		return Errorf(EInvalid, "inbox.saved_title_required", "a saved reply needs a title").WithField("title")
	}
	if r.Text == "" {
		return Errorf(EInvalid, "inbox.saved_text_required", "a saved reply needs a text").WithField("text")
	}
	r.Tags = cleanWords(r.Tags)
	return nil
}

// Fill puts the author's name and handle into the placeholders {name} and
// {handle}. The result is offered in the reply box, never sent by itself.
func (r SavedReply) Fill(a RemoteAuthor) string {
	name := a.Name
	if name == "" {
		name = a.Handle
	}
	return strings.NewReplacer("{name}", name, "{handle}", "@"+strings.TrimPrefix(a.Handle, "@")).Replace(r.Text)
}

// InboxClientSettings is a client's crisis plan alert words and inbox tags.
type InboxClientSettings struct {
	ClientID   int64    `json:"clientId"`
	AlertWords []string `json:"alertWords"`
	Tags       []string `json:"tags"`
	// Watch: hashtags ("#tag") and keywords to listen for; matches come in
	// as KindListening items.
	Watch []string `json:"watch"`
}

// Clean trims and deduplicates the lists (tags fall back to the defaults).
func (s *InboxClientSettings) Clean() {
	s.AlertWords = cleanWords(s.AlertWords)
	s.Tags = cleanWords(s.Tags)
	s.Watch = cleanWords(s.Watch)
	if len(s.Tags) == 0 {
		s.Tags = append([]string(nil), DefaultInboxTags...)
	}
}

func cleanWords(in []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, w := range in {
		w = strings.TrimSpace(w)
		k := FoldText(w)
		if w == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, w)
	}
	return out
}

// Listener is an InboxFetcher that can also listen: read the public posts
// with a hashtag ("#tag") or a keyword newer than since (a mark it returned
// before; "" = the newest page). Items are KindListening with remote ids
// that never clash with notifications'.
type Listener interface {
	Listen(ctx context.Context, acct Account, term, since string, limit int) (NotificationBatch, error)
}

// InboxStore keeps the inbox (the SQLite store implements it).
type InboxStore interface {
	InboxReader
	// InboxSave inserts the items not stored yet (by account and remote id)
	// and writes the account's sync state, in one transaction. It returns
	// the items actually inserted, with their ids.
	InboxSave(ctx context.Context, items []InboxItem, sync InboxSync) ([]InboxItem, error)
	InboxSyncState(ctx context.Context, accountID int64) (InboxSync, error)
	InboxSetSync(ctx context.Context, s InboxSync) error
	InboxList(ctx context.Context, f InboxFilter) ([]InboxItem, error)
	// InboxSummaries names each summary's newest author; InboxAuthors
	// names the authors of given items (a summary's, on demand).
	InboxSummaries(ctx context.Context, f InboxFilter) ([]InboxSummary, error)
	InboxAuthors(ctx context.Context, ids []int64) ([]RemoteAuthor, error)
	InboxGet(ctx context.Context, id int64) (*InboxItem, error)
	// InboxUpdate lets fn change each item (state, snooze, tags, pin, note)
	// and writes them back in one transaction.
	InboxUpdate(ctx context.Context, ids []int64, fn func(it *InboxItem) error) error
	// InboxMarkDone marks every item matching f done; it returns the ids.
	InboxMarkDone(ctx context.Context, f InboxFilter) ([]int64, error)
	// InboxUnsnooze puts snoozed items due by now back to new; it returns
	// how many, and the next snooze end after now.
	InboxUnsnooze(ctx context.Context, now time.Time) (int, *time.Time, error)
	// InboxUnread counts items not done per client.
	InboxUnread(ctx context.Context) (map[int64]int, error)
	ListSavedReplies(ctx context.Context, clientID int64) ([]SavedReply, error) // the client's and the shared ones
	SaveSavedReply(ctx context.Context, r *SavedReply) error
	DeleteSavedReply(ctx context.Context, id int64) error
	InboxClientSettings(ctx context.Context, clientID int64) (InboxClientSettings, error)
	SetInboxClientSettings(ctx context.Context, s *InboxClientSettings) error
}

// MatchAlerts returns the alert words found in text, as whole words or
// phrases, ignoring case and accents ("ESTAFA", "estafá" match "estafa").
func MatchAlerts(words []string, text string) []string {
	hay := " " + FoldText(text) + " "
	var out []string
	for _, w := range words {
		k := FoldText(w)
		if k == "" {
			continue
		}
		if strings.Contains(hay, " "+k+" ") {
			out = append(out, w)
		}
	}
	return out
}

// FoldText lowercases s, takes accents off Latin letters and turns every
// run of non-letters/digits into one space, for accent- and case-blind matching.
func FoldText(s string) string {
	var b strings.Builder
	space := true
	for _, r := range strings.ToLower(s) {
		if f, ok := accentFold[r]; ok {
			r = f
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			space = false
		} else if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSpace(b.String())
}

var accentFold = func() map[rune]rune {
	m := map[rune]rune{}
	for base, accented := range map[rune]string{
		'a': "àáâãäåāăą", 'c': "çćĉċč", 'd': "ďđ", 'e': "èéêëēĕėęě", 'g': "ĝğġģ", 'h': "ĥħ",
		'i': "ìíîïĩīĭįı", 'j': "ĵ", 'k': "ķ", 'l': "ĺļľŀł", 'n': "ñńņňŉ", 'o': "òóôõöøōŏő",
		'r': "ŕŗř", 's': "śŝşšș", 't': "ţťŧț", 'u': "ùúûüũūŭůűų", 'w': "ŵ", 'y': "ýÿŷ", 'z': "źżž",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()
