package app

import (
	"context"
	"log"
	"strconv"
	"strings"
	"sync"
	"time"

	"pauta/backend"
	"pauta/backend/inbox"
)

// InboxService is bound to the frontend: the inbox of every connected
// account (issue #14). Thin: the sync lives in backend/inbox, replies go
// out through the outbox.
type InboxService struct{ app *App }

func newInboxSync(a *App) *inbox.Sync {
	return inbox.New(a.store, a.inboxFetcher, a.cfg.Clock, inboxEvents{a}, inbox.Options{Logf: log.Printf})
}

// StartInbox polls the connected accounts until ctx ends.
func (a *App) StartInbox(ctx context.Context) {
	go func() { _ = a.inboxSync.Run(ctx) }()
	if a.avatars != nil {
		go func() { _ = a.avatars.Run(ctx, a.Inbox.changed) }()
	}
}

// InboxQuery selects inbox rows; zero values mean any.
type InboxQuery struct {
	ClientID int64    `json:"clientId"`
	Network  string   `json:"network"`
	Kinds    []string `json:"kinds"`
	States   []string `json:"states"`
	Tag      string   `json:"tag"`
	Pinned   bool     `json:"pinned"`
	Offset   int      `json:"offset"`
	Limit    int      `json:"limit"`
}

func (q InboxQuery) filter() backend.InboxFilter {
	f := backend.InboxFilter{ClientID: q.ClientID, Network: backend.Network(q.Network), States: q.States, Tag: q.Tag, Pinned: q.Pinned, Offset: q.Offset, Limit: q.Limit}
	for _, k := range q.Kinds {
		f.Kinds = append(f.Kinds, backend.InboxKind(k))
	}
	return f
}

// InboxPage is one screen of the inbox: the items (alerts first, then
// newest), the summary rows of boosts, likes and follows, and the counts
// of items not done (per client, for the sidebar).
type InboxPage struct {
	Items     []backend.InboxItem    `json:"items"`
	Summaries []backend.InboxSummary `json:"summaries"`
	Unread    map[int64]int          `json:"unread"`
	Syncs     []backend.InboxSync    `json:"syncs"`
}

// List returns the items and summaries matching q. Without kinds, items
// are every kind but the summarised ones.
func (s *InboxService) List(q InboxQuery) (InboxPage, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	f := q.filter()
	var items []backend.InboxKind
	var sums []backend.InboxKind
	for _, k := range f.Kinds {
		if k.Summarised() {
			sums = append(sums, k)
		} else {
			items = append(items, k)
		}
	}
	page := InboxPage{Items: []backend.InboxItem{}, Summaries: []backend.InboxSummary{}}
	// The items, the summaries and the counts are read side by side, each
	// on its own pooled connection (WAL readers do not block each other):
	// the page costs its slowest query, not their sum.
	var wg sync.WaitGroup
	var itemsErr, sumsErr error
	if len(f.Kinds) == 0 || len(items) > 0 {
		fi := f
		fi.Kinds = items
		if len(items) == 0 {
			fi.Kinds = []backend.InboxKind{backend.KindMention, backend.KindReply, backend.KindQuote, backend.KindDirect, backend.KindListening}
		}
		wg.Go(func() { page.Items, itemsErr = s.app.store.InboxList(ctx, fi) })
	}
	if len(f.Kinds) == 0 || len(sums) > 0 {
		fs := f
		fs.Kinds = sums
		wg.Go(func() { page.Summaries, sumsErr = s.app.store.InboxSummaries(ctx, fs) })
	}
	unread, err := s.app.store.InboxUnread(ctx)
	if err == nil {
		page.Unread = unread
		page.Syncs, err = s.syncs(ctx)
	}
	wg.Wait()
	for _, e := range []error{itemsErr, sumsErr} {
		if e != nil {
			return page, e
		}
	}
	return page, err
}

// Authors names who is behind a summary row's items (ids newest first, as
// many as the detail shows): the list itself names only the newest.
func (s *InboxService) Authors(ids []int64) ([]backend.RemoteAuthor, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	if len(ids) > maxSummaryAuthors {
		ids = ids[:maxSummaryAuthors]
	}
	return s.app.store.InboxAuthors(ctx, ids)
}

// maxSummaryAuthors is how many authors a summary's detail names at most.
const maxSummaryAuthors = 50

// Unread counts the items not done per client (the sidebar badge).
func (s *InboxService) Unread() (map[int64]int, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	return s.app.store.InboxUnread(ctx)
}

func (s *InboxService) syncs(ctx context.Context) ([]backend.InboxSync, error) {
	accts, err := s.app.store.ListAccounts(ctx, 0)
	if err != nil {
		return nil, err
	}
	states, err := s.app.store.InboxSyncStates(ctx)
	if err != nil {
		return nil, err
	}
	out := []backend.InboxSync{}
	for _, a := range accts {
		if a.Network.Manual() || a.Connection == backend.ConnManual {
			continue
		}
		st, ok := states[a.ID]
		if !ok {
			st = backend.InboxSync{AccountID: a.ID} // never synced
		}
		out = append(out, st)
	}
	return out, nil
}

// AboutPost is our post an item answers: its text and where it is.
type AboutPost struct {
	PostID int64  `json:"postId"`
	Text   string `json:"text"`
	URL    string `json:"url"`
}

// InboxDetail is what the detail pane shows for one item.
type InboxDetail struct {
	Item     backend.InboxItem           `json:"item"`
	Replies  []backend.InboxReply        `json:"replies"`
	Like     *backend.InboxLike          `json:"like"` // our like of it, nil: not liked
	About    *AboutPost                  `json:"about"`
	Saved    []backend.SavedReply        `json:"saved"` // the client's and shared saved replies, placeholders filled
	Settings backend.InboxClientSettings `json:"settings"`
	Mention  string                      `json:"mention"` // what the reply box starts with on this network
}

// Detail returns one item with its replies, our post it answers and the
// saved replies filled in for its author.
func (s *InboxService) Detail(id int64) (InboxDetail, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	it, err := s.app.store.InboxGet(ctx, id)
	if err != nil {
		return InboxDetail{}, err
	}
	d := InboxDetail{Item: *it}
	if d.Replies, err = s.app.store.InboxReplies(ctx, id); err != nil {
		return d, err
	}
	if d.Like, err = s.app.store.InboxLikeOf(ctx, id); err != nil {
		return d, err
	}
	if ab := it.Notification.About; ab != nil {
		if pid, text, url, ok, err := s.app.store.PostAnswered(ctx, it.AccountID, *ab); err != nil {
			return d, err
		} else if ok {
			d.About = &AboutPost{PostID: pid, Text: excerpt(text, 140), URL: url}
		}
	}
	if d.Saved, err = s.app.store.ListSavedReplies(ctx, it.ClientID); err != nil {
		return d, err
	}
	for i := range d.Saved {
		d.Saved[i].Text = d.Saved[i].Fill(it.Notification.Author)
	}
	if d.Settings, err = s.app.store.InboxClientSettings(ctx, it.ClientID); err != nil {
		return d, err
	}
	if acc, err := s.app.store.GetAccount(ctx, it.AccountID); err == nil && acc.Network == backend.Mastodon && it.Notification.Author.Handle != "" {
		d.Mention = "@" + strings.TrimPrefix(it.Notification.Author.Handle, "@") + " " // Mastodon notifies only who is mentioned
	}
	return d, nil
}

// Thread reads the conversation around an item's post from the network.
func (s *InboxService) Thread(id int64) ([]backend.RemotePost, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	it, err := s.app.store.InboxGet(ctx, id)
	if err != nil {
		return nil, err
	}
	parent, _ := backend.ReplyTarget(it.Notification)
	if parent == nil {
		return []backend.RemotePost{}, nil
	}
	acc, err := s.app.store.GetAccount(ctx, it.AccountID)
	if err != nil {
		return nil, err
	}
	f, err := s.app.inboxFetcher(ctx, *acc)
	if err != nil {
		return nil, err
	}
	if f == nil {
		return nil, backend.Errorf(backend.EUnavailable, "inbox.thread_unavailable", "this network's threads cannot be read yet")
	}
	return f.Thread(ctx, *acc, *parent)
}

// SetState marks items new, done or snoozed until `until` (RFC 3339).
func (s *InboxService) SetState(ids []int64, state, until string) error {
	ctx, cancel := s.app.call()
	defer cancel()
	var at *time.Time
	if state == backend.InboxSnoozed {
		t, err := time.Parse(time.RFC3339, until)
		if err != nil || !t.After(s.app.cfg.Clock.Now()) {
			return backend.Errorf(backend.EInvalid, "inbox.snooze_time_required", "choose when the item comes back").WithField("snoozedUntil")
		}
		t = t.UTC()
		at = &t
	}
	err := s.app.store.InboxUpdate(ctx, ids, func(it *backend.InboxItem) error {
		it.State, it.SnoozedUntil = state, at
		return nil
	})
	if err == nil {
		s.changed()
	}
	return err
}

// MarkAllDone marks every item matching q done; it returns how many.
func (s *InboxService) MarkAllDone(q InboxQuery) (int, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	f := q.filter()
	f.Offset, f.Limit = 0, 0
	ids, err := s.app.store.InboxMarkDone(ctx, f)
	if err == nil && len(ids) > 0 {
		s.changed()
	}
	return len(ids), err
}

// SetTags replaces an item's tags.
func (s *InboxService) SetTags(id int64, tags []string) error {
	return s.update(id, func(it *backend.InboxItem) { it.Tags = cleanTags(tags) })
}

// SetPinned pins an item as a notable quote (for the report) or unpins it.
func (s *InboxService) SetPinned(id int64, pinned bool) error {
	return s.update(id, func(it *backend.InboxItem) { it.Pinned = pinned })
}

// SetNote keeps the user's note on an item.
func (s *InboxService) SetNote(id int64, note string) error {
	return s.update(id, func(it *backend.InboxItem) { it.Note = strings.TrimSpace(note) })
}

func (s *InboxService) update(id int64, fn func(it *backend.InboxItem)) error {
	ctx, cancel := s.app.call()
	defer cancel()
	err := s.app.store.InboxUpdate(ctx, []int64{id}, func(it *backend.InboxItem) error { fn(it); return nil })
	if err == nil {
		s.changed()
	}
	return err
}

func cleanTags(in []string) []string {
	s := backend.InboxClientSettings{Tags: in}
	s.Clean()
	if len(in) == 0 {
		return []string{}
	}
	return s.Tags
}

// Reply queues a reply to an item in the outbox (sent when online, exactly
// once) and marks the item done.
func (s *InboxService) Reply(itemID int64, text string) (backend.InboxReply, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	r, err := s.app.store.QueueReply(ctx, backend.ReplyDraft{InboxItemID: itemID, Text: text})
	if err != nil {
		return r, err
	}
	s.app.outbox.Wake()
	s.app.emitter.Emit(backend.EventOutboxChanged)
	s.changed()
	return r, nil
}

// Like queues a like of the item's post in the outbox (sent when online,
// exactly once). Liking an item already liked answers that like.
func (s *InboxService) Like(itemID int64) (backend.InboxLike, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	l, err := s.app.store.QueueLike(ctx, itemID)
	if err != nil {
		return l, err
	}
	s.app.outbox.Wake()
	s.app.emitter.Emit(backend.EventOutboxChanged)
	s.changed()
	return l, nil
}

// SavedReplies returns the client's saved replies and the shared ones.
func (s *InboxService) SavedReplies(clientID int64) ([]backend.SavedReply, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	return s.app.store.ListSavedReplies(ctx, clientID)
}

// SaveSavedReply creates or updates a saved reply.
func (s *InboxService) SaveSavedReply(r backend.SavedReply) (backend.SavedReply, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	err := s.app.store.SaveSavedReply(ctx, &r)
	return r, err
}

// DeleteSavedReply removes a saved reply.
func (s *InboxService) DeleteSavedReply(id int64) error {
	ctx, cancel := s.app.call()
	defer cancel()
	return s.app.store.DeleteSavedReply(ctx, id)
}

// ClientSettings returns a client's crisis plan alert words and inbox tags.
func (s *InboxService) ClientSettings(clientID int64) (backend.InboxClientSettings, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	return s.app.store.InboxClientSettings(ctx, clientID)
}

// SaveClientSettings writes a client's alert words and tags.
func (s *InboxService) SaveClientSettings(v backend.InboxClientSettings) (backend.InboxClientSettings, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	err := s.app.store.SetInboxClientSettings(ctx, &v)
	return v, err
}

// Refresh asks every connected account now (the refresh button).
func (s *InboxService) Refresh() error {
	ctx, cancel := s.app.call()
	defer cancel()
	syncs, err := s.syncs(ctx)
	if err != nil {
		return err
	}
	for _, st := range syncs {
		if err := s.app.inboxSync.Reset(ctx, st.AccountID); err != nil {
			return err
		}
	}
	return nil
}

// LoadOlder reads an account's page older than what is stored.
func (s *InboxService) LoadOlder(accountID int64) (int, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	return s.app.inboxSync.LoadOlder(ctx, accountID)
}

// SetMarkRead turns on or off moving the network's own read marker for an account.
func (s *InboxService) SetMarkRead(accountID int64, on bool) error {
	ctx, cancel := s.app.call()
	defer cancel()
	if _, err := s.app.store.GetAccount(ctx, accountID); err != nil {
		return err
	}
	st, err := s.app.store.InboxSyncState(ctx, accountID)
	if err != nil {
		return err
	}
	st.MarkRead = on
	return s.app.store.InboxSetSync(ctx, st)
}

func (s *InboxService) changed() { s.app.emitter.Emit(backend.EventInboxChanged) }

// inboxEvents forwards the sync's events to the UI and raises a desktop
// notification for items that matched an alert word (even with the window
// in the background).
type inboxEvents struct{ app *App }

func (e inboxEvents) Emit(name string, data ...any) {
	if name != backend.EventInboxAlert {
		if name == backend.EventInboxChanged && e.app.avatars != nil {
			e.app.avatars.Wake() // new authors: their avatars
		}
		e.app.emitter.Emit(name, data...)
		return
	}
	items, _ := data[0].([]backend.InboxItem)
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	e.app.emitter.Emit(name, ids)
	if len(items) == 0 {
		return
	}
	title, body := e.app.alertNotification(items)
	if err := e.app.notifier.Notify(title, body); err != nil {
		log.Printf("notifications: %v", err)
	}
}

var alertTexts = map[string]struct{ one, many string }{
	"en": {"Alert word in the inbox", "{n} alert words in the inbox"},
	"es": {"Palabra de alerta en la bandeja", "{n} palabras de alerta en la bandeja"},
	"it": {"Parola d'allarme nella posta", "{n} parole d'allarme nella posta"},
}

func (a *App) alertNotification(items []backend.InboxItem) (string, string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	words := alertTexts[a.uiLanguage(ctx)]
	title := words.one
	if len(items) > 1 {
		title = strings.ReplaceAll(words.many, "{n}", strconv.Itoa(len(items)))
	}
	it := items[0]
	who := "@" + strings.TrimPrefix(it.Notification.Author.Handle, "@")
	if c, err := a.store.GetClient(ctx, it.ClientID); err == nil {
		who = c.Name + " · " + who
	}
	text := ""
	if it.Notification.Subject != nil {
		text = it.Notification.Subject.Text
	}
	return title, who + " (" + strings.Join(it.Alert, ", ") + "): " + excerpt(text, 80)
}
