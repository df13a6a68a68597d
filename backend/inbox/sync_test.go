package inbox_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/inbox"
	"pauta/backend/platform/mastodon"
	"pauta/backend/sqlite"
)

const token = "inbox-token"

var t0 = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// server speaks GET /api/v1/notifications as Mastodon documents it (newest
// first, since_id / max_id / limit, Link rel="next" with max_id), markers,
// and can go offline, refuse the token or rate limit.
type server struct {
	mu      sync.Mutex
	next    int
	notifs  []map[string]any // newest first
	down    bool
	revoked bool
	noScope bool
	limited bool
	calls   int
	markers []string
	srv     *httptest.Server
}

func newServer(t *testing.T) *server {
	s := &server{next: 1}
	s.srv = newHTTPServer(t, s)
	return s
}

func newHTTPServer(t testing.TB, s *server) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	return srv
}

func (s *server) add(n int, typ, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 0; i < n; i++ {
		id := strconv.Itoa(s.next)
		s.next++
		m := map[string]any{"id": id, "type": typ, "created_at": t0.Add(time.Duration(s.next) * time.Second).Format(time.RFC3339),
			"account": map[string]any{"id": "a" + id, "acct": "fan" + id + "@else.example", "display_name": "Fan"}}
		if typ == "mention" {
			m["status"] = map[string]any{"id": "s" + id, "content": "<p>" + text + "</p>", "visibility": "public", "account": map[string]any{"id": "a" + id}}
		}
		s.notifs = append([]map[string]any{m}, s.notifs...)
	}
}

func num(s string) int { n, _ := strconv.Atoi(s); return n }

func (s *server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.down {
		hj, _ := w.(http.Hijacker)
		conn, _, _ := hj.Hijack()
		conn.Close()
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch {
	case s.revoked:
		w.WriteHeader(401)
		fmt.Fprint(w, `{"error":"The access token was revoked"}`)
	case s.noScope:
		w.WriteHeader(403)
		fmt.Fprint(w, `{"error":"This action is outside the authorized scopes"}`)
	case s.limited:
		w.Header().Set("Retry-After", "600")
		w.WriteHeader(429)
		fmt.Fprint(w, `{"error":"Too many requests"}`)
	case r.URL.Path == "/api/v1/timelines/tag/cafe":
		since := num(r.URL.Query().Get("min_id"))
		var out []map[string]any
		for _, id := range []int{5002, 5001} {
			if id > since {
				out = append(out, map[string]any{"id": strconv.Itoa(id), "content": "<p>Un #cafe estafa</p>", "visibility": "public",
					"account": map[string]any{"id": "x", "acct": "x@else.example"}, "created_at": t0.Format(time.RFC3339)})
			}
		}
		if out == nil {
			out = []map[string]any{}
		}
		json.NewEncoder(w).Encode(out)
	case r.URL.Path == "/api/v1/markers":
		r.ParseForm()
		s.markers = append(s.markers, r.PostForm.Get("notifications[last_read_id]"))
		fmt.Fprint(w, `{}`)
	case r.URL.Path == "/api/v1/notifications":
		q := r.URL.Query()
		limit := num(q.Get("limit"))
		page := []map[string]any{}
		for _, n := range s.notifs {
			id := num(n["id"].(string))
			if (q.Get("max_id") != "" && id >= num(q.Get("max_id"))) || (q.Get("since_id") != "" && id <= num(q.Get("since_id"))) {
				continue
			}
			if len(page) == limit {
				break
			}
			page = append(page, n)
		}
		if len(page) == limit {
			w.Header().Set("Link", fmt.Sprintf(`<%s/api/v1/notifications?limit=%d&max_id=%s>; rel="next"`, s.srv.URL, limit, page[limit-1]["id"]))
		}
		json.NewEncoder(w).Encode(page)
	default:
		w.WriteHeader(404)
		fmt.Fprint(w, `{"error":"Record not found"}`)
	}
}

type events struct {
	mu     sync.Mutex
	names  []string
	alerts []backend.InboxItem
}

func (e *events) Emit(name string, data ...any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.names = append(e.names, name)
	if name == backend.EventInboxAlert {
		e.alerts = append(e.alerts, data[0].([]backend.InboxItem)...)
	}
}

type rig struct {
	db   *sqlite.DB
	srv  *server
	clk  *clock
	ev   *events
	sync *inbox.Sync
	acct backend.Account
}

func newRig(t *testing.T, opt inbox.Options) *rig {
	ctx := context.Background()
	r := &rig{srv: newServer(t), clk: &clock{t: t0}, ev: &events{}}
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "pauta.db"), r.clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r.db = db
	c := &backend.Client{Name: "Acme", TimeZone: "Europe/Madrid", Language: "es"}
	if err := db.CreateClient(ctx, c); err != nil {
		t.Fatal(err)
	}
	a := &backend.Account{ClientID: c.ID, Network: backend.Mastodon, Handle: "acme@social.example"}
	if err := db.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	a.Connection, a.ServiceURL, a.RemoteID = backend.ConnConnected, r.srv.srv.URL, "me"
	if err := db.UpdateAccountConnection(ctx, a); err != nil {
		t.Fatal(err)
	}
	r.acct = *a
	fetchers := func(_ context.Context, acct backend.Account) (backend.InboxFetcher, error) {
		return mastodon.New(acct.ServiceURL, token, r.srv.srv.Client(), r.clk)
	}
	r.sync = inbox.New(db, fetchers, r.clk, r.ev, opt)
	return r
}

func (r *rig) pass(t *testing.T) time.Time {
	t.Helper()
	next, err := r.sync.Pass(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return next
}

func (r *rig) count(t *testing.T) int {
	seen := map[string]bool{}
	for off := 0; ; off += 1000 {
		l, err := r.db.InboxList(context.Background(), backend.InboxFilter{Limit: 1000, Offset: off})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range l {
			if seen[it.Notification.RemoteID] {
				t.Fatalf("duplicate %s", it.Notification.RemoteID)
			}
			seen[it.Notification.RemoteID] = true
		}
		if len(l) < 1000 {
			return len(seen)
		}
	}
}

func TestWeekOfflineMissesNothing(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, inbox.Options{Interval: 2 * time.Minute, Cap: 100})
	r.srv.add(30, "mention", "hola")
	r.srv.add(20, "favourite", "")
	next := r.pass(t)
	if r.count(t) != 50 || !next.Equal(t0.Add(2*time.Minute)) {
		t.Fatalf("first sync: %d next %s", r.count(t), next)
	}
	// Not due yet: no request.
	calls := r.srv.calls
	r.pass(t)
	if r.srv.calls != calls {
		t.Fatal("polled before due")
	}
	// Offline: back off, doubling.
	r.srv.down = true
	var waits []time.Duration
	for i := 0; i < 4; i++ {
		r.clk.add(time.Hour)
		next = r.pass(t)
		waits = append(waits, next.Sub(r.clk.Now()))
	}
	if waits[0] != 2*time.Minute || waits[1] != 4*time.Minute || waits[3] != 16*time.Minute {
		t.Fatalf("backoff: %v", waits)
	}
	st, _ := r.db.InboxSyncState(ctx, r.acct.ID)
	if st.ErrorCode != backend.ETransient || st.Failures != 4 {
		t.Fatalf("offline state: %+v", st)
	}
	// A week later: 1,000 new items; the first pass reads the newest 100
	// and opens a gap, the next passes read the gap down to the old mark.
	r.srv.add(1000, "mention", "otra")
	r.srv.down = false
	r.clk.add(7 * 24 * time.Hour)
	r.pass(t)
	st, _ = r.db.InboxSyncState(ctx, r.acct.ID)
	if r.count(t) != 150 || !st.Gap || st.GapUntil != "50" || st.Mark != "1050" || st.ErrorCode != "" {
		t.Fatalf("after a week: %d %+v", r.count(t), st)
	}
	for i := 0; i < 20 && st.Gap; i++ {
		r.clk.add(time.Second)
		r.pass(t)
		st, _ = r.db.InboxSyncState(ctx, r.acct.ID)
	}
	if r.count(t) != 1050 || st.Gap || st.Mark != "1050" {
		t.Fatalf("gap filled: %d %+v", r.count(t), st)
	}
	// Polling again finds nothing new and duplicates nothing.
	r.clk.add(time.Hour)
	r.pass(t)
	if r.count(t) != 1050 {
		t.Fatalf("re-poll: %d", r.count(t))
	}
}

func TestAlertsAuthAndRateLimit(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, inbox.Options{})
	s := backend.InboxClientSettings{ClientID: r.acct.ClientID, AlertWords: []string{"estafa"}}
	if err := r.db.SetInboxClientSettings(ctx, &s); err != nil {
		t.Fatal(err)
	}
	r.srv.add(1, "mention", "Esto es una <b>ESTAFÁ</b>")
	r.srv.add(3, "mention", "gracias")
	r.pass(t)
	l, _ := r.db.InboxList(ctx, backend.InboxFilter{})
	if len(l) != 4 || l[0].Notification.RemoteID != "1" || len(l[0].Alert) != 1 || len(l[1].Alert) != 0 {
		t.Fatalf("alert first: %+v", l)
	}
	if len(r.ev.alerts) != 1 || r.ev.alerts[0].ID != l[0].ID {
		t.Fatalf("alert event: %+v", r.ev.alerts)
	}
	// 429: wait as told.
	r.srv.limited = true
	r.clk.add(time.Hour)
	if next := r.pass(t); next.Sub(r.clk.Now()) != 10*time.Minute {
		t.Fatalf("rate limited: next in %s", next.Sub(r.clk.Now()))
	}
	r.srv.limited = false
	// A token without the scope: shown on the account, publishing untouched.
	r.srv.noScope = true
	r.clk.add(time.Hour)
	r.pass(t)
	st, _ := r.db.InboxSyncState(ctx, r.acct.ID)
	if st.ErrorKey != "inbox.scope_missing" || st.ErrorParams["scope"] != "read:notifications" {
		t.Fatalf("scope: %+v", st)
	}
	if accts, _ := r.db.OutboxAccounts(ctx); len(accts) > 0 && accts[0].PausedReason != "" {
		t.Fatalf("paused for a scope: %+v", accts)
	}
	r.srv.noScope = false
	// A revoked token pauses the account until it is connected again: no more requests.
	r.srv.revoked = true
	r.clk.add(2 * time.Hour)
	r.pass(t)
	accts, _ := r.db.OutboxAccounts(ctx)
	if len(accts) != 1 || accts[0].PausedReason != backend.EAuth {
		t.Fatalf("revoked: %+v", accts)
	}
	calls := r.srv.calls
	r.clk.add(3 * time.Hour)
	r.pass(t)
	if r.srv.calls != calls {
		t.Fatal("polled a paused account")
	}
}

func TestSnoozeAndReadMarker(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, inbox.Options{Interval: time.Hour})
	r.srv.add(2, "mention", "hola")
	if err := r.db.InboxSetSync(ctx, backend.InboxSync{AccountID: r.acct.ID, MarkRead: true}); err != nil {
		t.Fatal(err)
	}
	r.pass(t)
	if len(r.srv.markers) != 0 {
		t.Fatal("marker moved while items are open")
	}
	l, _ := r.db.InboxList(ctx, backend.InboxFilter{})
	until := r.clk.Now().Add(30 * time.Minute)
	r.db.InboxUpdate(ctx, []int64{l[0].ID}, func(it *backend.InboxItem) error { it.State = backend.InboxDone; return nil })
	r.db.InboxUpdate(ctx, []int64{l[1].ID}, func(it *backend.InboxItem) error {
		it.State, it.SnoozedUntil = backend.InboxSnoozed, &until
		return nil
	})
	r.clk.add(time.Minute)
	if next := r.pass(t); !next.Equal(until) {
		t.Fatalf("next wake %s, want the snooze end %s", next, until)
	}
	r.clk.add(30 * time.Minute)
	r.pass(t)
	if it, _ := r.db.InboxGet(ctx, l[1].ID); it.State != backend.InboxNew {
		t.Fatalf("unsnoozed: %s", it.State)
	}
	r.clk.add(2 * time.Hour)
	r.pass(t)
	if len(r.srv.markers) != 0 {
		t.Fatal("marker moved while an item is open")
	}
	r.db.InboxMarkDone(ctx, backend.InboxFilter{})
	r.srv.add(1, "follow", "")
	r.clk.add(2 * time.Hour)
	r.pass(t) // the follow arrives open: the marker waits
	r.db.InboxMarkDone(ctx, backend.InboxFilter{})
	r.clk.add(2 * time.Hour)
	r.pass(t)
	if len(r.srv.markers) != 1 || r.srv.markers[0] != "3" {
		t.Fatalf("markers: %v", r.srv.markers)
	}
}

func TestListeningItems(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, inbox.Options{})
	s := backend.InboxClientSettings{ClientID: r.acct.ClientID, AlertWords: []string{"estafa"}, Watch: []string{"#cafe"}}
	if err := r.db.SetInboxClientSettings(ctx, &s); err != nil {
		t.Fatal(err)
	}
	r.pass(t)
	r.clk.add(time.Hour)
	r.pass(t)
	l, _ := r.db.InboxList(ctx, backend.InboxFilter{Kinds: []backend.InboxKind{backend.KindListening}})
	if len(l) != 2 || l[0].Notification.Subject.Text != "Un #cafe estafa" || len(l[0].Alert) != 1 {
		t.Fatalf("listening items: %+v", l)
	}
	st, _ := r.db.InboxSyncState(ctx, r.acct.ID)
	if st.ListenMarks["#cafe"] != "5002" {
		t.Fatalf("marks: %+v", st.ListenMarks)
	}
}
