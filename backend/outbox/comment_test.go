package outbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/platform/bluesky"
	"pauta/backend/platform/mastodon"
	"pauta/backend/sqlite"
)

// First comments go out as replies through the real Mastodon and Bluesky
// clients, against httptest servers that speak the documented endpoints.

// mastoStatus is what the fake instance received for one created status.
type mastoStatus struct {
	ID, Text, InReplyTo, Key, Language string
}

// fakeMasto is POST /api/v1/statuses with Idempotency-Key memory (an hour on
// a real instance). fail, when set, answers call n (1-based) with a status
// code instead (0 = normal); lose creates the status but drops the answer.
type fakeMasto struct {
	t   *testing.T
	srv *httptest.Server

	mu      sync.Mutex
	calls   []mastoStatus // every request, created or not
	created []mastoStatus
	byKey   map[string]mastoStatus
	fail    func(n int, form mastoStatus) (status int, retryAfter string)
	lose    func(n int, form mastoStatus) bool
	clock   backend.Clock // the server's (Date headers)
	refuse  bool          // the account's statuses cannot be listed
}

func newFakeMasto(t *testing.T) *fakeMasto {
	f := &fakeMasto{t: t, byKey: map[string]mastoStatus{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeMasto) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	if f.clock != nil {
		w.Header().Set("Date", f.clock.Now().UTC().Format(http.TimeFormat))
	}
	f.mu.Unlock()
	if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/api/v1/accounts/") {
		f.serveAccount(w, r)
		return
	}
	if r.Method != http.MethodPost || r.URL.Path != "/api/v1/statuses" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if r.Header.Get("Authorization") != "Bearer tok" {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"error":"The access token is invalid"}`)
		return
	}
	in := mastoStatus{Text: r.FormValue("status"), InReplyTo: r.FormValue("in_reply_to_id"), Key: r.Header.Get("Idempotency-Key"), Language: r.FormValue("language")}
	f.mu.Lock()
	f.calls = append(f.calls, in)
	n := len(f.calls)
	fail, lose := f.fail, f.lose
	f.mu.Unlock()
	if fail != nil {
		if code, ra := fail(n, in); code != 0 {
			if ra != "" {
				w.Header().Set("Retry-After", ra)
			}
			w.WriteHeader(code)
			io.WriteString(w, `{"error":"Validation failed: Text is too long"}`)
			return
		}
	}
	f.mu.Lock()
	st, ok := f.byKey[in.Key]
	if !ok || in.Key == "" {
		st = in
		st.ID = fmt.Sprint(1000 + len(f.created))
		f.created = append(f.created, st)
		f.byKey[in.Key] = st
	}
	f.mu.Unlock()
	if lose != nil && lose(n, in) {
		panic(http.ErrAbortHandler) // the status exists; the answer is lost
	}
	fmt.Fprintf(w, `{"id":%q,"url":"https://masto.test/@sol/%s","content":"x"}`, st.ID, st.ID)
}

// serveAccount is verify_credentials (account "1") and the account's
// statuses, newest first, with since_id, max_id and limit.
func (f *fakeMasto) serveAccount(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case r.URL.Path == "/api/v1/accounts/verify_credentials":
		io.WriteString(w, `{"id":"1","username":"sol","acct":"sol"}`)
	case r.URL.Path == "/api/v1/accounts/1/statuses" && f.refuse:
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"error":"This action is not allowed"}`)
	case r.URL.Path == "/api/v1/accounts/1/statuses":
		q := r.URL.Query()
		limit, _ := strconv.Atoi(q.Get("limit"))
		since, _ := strconv.Atoi(q.Get("since_id"))
		maxID, _ := strconv.Atoi(q.Get("max_id"))
		out := []map[string]any{}
		for i := len(f.created) - 1; i >= 0 && len(out) < limit; i-- {
			st := f.created[i]
			id, _ := strconv.Atoi(st.ID)
			if id <= since || maxID != 0 && id >= maxID {
				continue
			}
			var reply any
			if st.InReplyTo != "" {
				reply = st.InReplyTo
			}
			out = append(out, map[string]any{"id": st.ID, "url": "https://masto.test/@sol/" + st.ID, "content": "<p>" + html.EscapeString(st.Text) + "</p>",
				"in_reply_to_id": reply, "media_attachments": []any{}})
		}
		json.NewEncoder(w).Encode(out)
	default:
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"error":"Record not found"}`)
	}
}

func (f *fakeMasto) Created() []mastoStatus {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]mastoStatus(nil), f.created...)
}

func (f *fakeMasto) Calls() []mastoStatus {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]mastoStatus(nil), f.calls...)
}

func (f *fakeMasto) set(fail func(int, mastoStatus) (int, string), lose func(int, mastoStatus) bool) {
	f.mu.Lock()
	f.fail, f.lose = fail, lose
	f.mu.Unlock()
}

func (f *fakeMasto) publisher(e *env) backend.Publisher {
	f.mu.Lock()
	f.clock = e.clock
	f.mu.Unlock()
	c, err := mastodon.New(f.srv.URL, "tok", f.srv.Client(), e.clock)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// bskyRecord is a record the fake PDS holds.
type bskyRecord struct {
	Rkey, CID string
	Value     json.RawMessage
}

// fakeBsky is a PDS's com.atproto.repo.putRecord and getRecord (with the
// reference PDS's behaviour: the same record again changes nothing, a
// different one under an existing key is InvalidSwap, a missing one is
// RecordNotFound).
type fakeBsky struct {
	t   *testing.T
	srv *httptest.Server

	mu      sync.Mutex
	puts    []string // rkeys, every putRecord
	records map[string]bskyRecord
	order   []string
	fail    func(n int, rkey string) int
	lose    func(n int, rkey string) bool
}

const bskyDID = "did:plc:solpanaderia"

func newFakeBsky(t *testing.T) *fakeBsky {
	f := &fakeBsky{t: t, records: map[string]bskyRecord{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func xrpcErr(w http.ResponseWriter, code int, name string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	fmt.Fprintf(w, `{"error":%q,"message":%q}`, name, name)
}

func (f *fakeBsky) serve(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer access" {
		xrpcErr(w, http.StatusUnauthorized, "InvalidToken")
		return
	}
	switch r.URL.Path {
	case "/xrpc/com.atproto.repo.putRecord":
		var in struct {
			Repo, Collection, Rkey string
			Record                 json.RawMessage
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Repo != bskyDID || in.Collection != "app.bsky.feed.post" {
			xrpcErr(w, http.StatusBadRequest, "InvalidRequest")
			return
		}
		f.mu.Lock()
		f.puts = append(f.puts, in.Rkey)
		n := len(f.puts)
		fail, lose := f.fail, f.lose
		f.mu.Unlock()
		if fail != nil {
			if code := fail(n, in.Rkey); code != 0 {
				xrpcErr(w, code, "InternalServerError")
				return
			}
		}
		sum := sha256.Sum256(in.Record)
		cid := "bafyrei" + hex.EncodeToString(sum[:])[:40]
		f.mu.Lock()
		old, ok := f.records[in.Rkey]
		if !ok {
			f.records[in.Rkey] = bskyRecord{in.Rkey, cid, in.Record}
			f.order = append(f.order, in.Rkey)
		}
		f.mu.Unlock()
		if ok && old.CID != cid {
			xrpcErr(w, http.StatusBadRequest, "InvalidSwap")
			return
		}
		if lose != nil && lose(n, in.Rkey) {
			panic(http.ErrAbortHandler)
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"uri":"at://%s/app.bsky.feed.post/%s","cid":%q}`, bskyDID, in.Rkey, cid)
	case "/xrpc/com.atproto.repo.getRecord":
		rkey := r.URL.Query().Get("rkey")
		f.mu.Lock()
		rec, ok := f.records[rkey]
		f.mu.Unlock()
		if !ok {
			xrpcErr(w, http.StatusBadRequest, "RecordNotFound")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"uri":"at://%s/app.bsky.feed.post/%s","cid":%q,"value":%s}`, bskyDID, rkey, rec.CID, rec.Value)
	default:
		xrpcErr(w, http.StatusNotFound, "MethodNotImplemented")
	}
}

// Records returns the records in creation order.
func (f *fakeBsky) Records() []bskyRecord {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]bskyRecord, len(f.order))
	for i, k := range f.order {
		out[i] = f.records[k]
	}
	return out
}

func (f *fakeBsky) Puts() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.puts...)
}

type bskySessions struct{}

func (bskySessions) Load(context.Context) (bluesky.Session, error) {
	return bluesky.Session{DID: bskyDID, Handle: "sol.test", AccessJWT: "access", RefreshJWT: "refresh"}, nil
}
func (bskySessions) Save(context.Context, bluesky.Session) error { return nil }

// bskyRoute is the app's Bluesky route in small: Publish, and Lookup by record key.
type bskyRoute struct{ c *bluesky.Client }

func (r bskyRoute) Publish(ctx context.Context, req backend.PublishRequest) (backend.RemoteRef, error) {
	return r.c.Publish(ctx, req)
}

func (r bskyRoute) Lookup(ctx context.Context, req backend.PublishRequest) (backend.RemoteRef, bool, error) {
	rec, err := r.c.GetRecord(ctx, req.RecordKey)
	if backend.ErrorCode(err) == backend.ENotFound {
		return backend.RemoteRef{}, false, nil
	}
	if err != nil {
		return backend.RemoteRef{}, false, err
	}
	return rec.Ref, true, nil
}

func (r bskyRoute) IdempotencyWindow() time.Duration { return backend.Forever }

func (f *fakeBsky) publisher(e *env) backend.Publisher {
	c, err := bluesky.New(f.srv.URL, f.srv.Client(), e.clock, bskySessions{})
	if err != nil {
		e.t.Fatal(err)
	}
	return bskyRoute{c}
}

// postWithComment schedules a post with a first comment to the accounts.
func (e *env) postWithComment(at time.Time, text, comment string, accounts ...backend.Account) (int64, []int64) {
	e.t.Helper()
	p := &backend.Post{ClientID: e.client.ID, Status: backend.StatusScheduled, BaseText: text, FirstComment: comment, ScheduledAt: &at, TimeZone: "Europe/Madrid"}
	for _, a := range accounts {
		p.Variants = append(p.Variants, backend.Variant{AccountID: a.ID})
	}
	if err := e.db.CreatePost(e.ctx, p); err != nil {
		e.t.Fatal(err)
	}
	ids := make([]int64, len(p.Variants))
	for i, v := range p.Variants {
		ids[i] = v.ID
	}
	return p.ID, ids
}

func (e *env) comment(id int64) backend.CommentJob {
	e.t.Helper()
	j, err := e.db.CommentJob(e.ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return *j
}

func (e *env) wantComment(id int64, want backend.CommentState) backend.CommentPublish {
	e.t.Helper()
	c := e.comment(id).Publish
	if c.State != want {
		e.t.Fatalf("variant %d: comment state %q (%s: %s), want %q", id, c.State, c.LastErrorCode, c.LastError, want)
	}
	return c
}

func (e *env) item(id int64) backend.OutboxItem {
	e.t.Helper()
	items, err := e.db.OutboxItems(e.ctx, backend.OutboxFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, it := range items {
		if it.VariantID == id {
			return it
		}
	}
	e.t.Fatalf("variant %d is not in the default outbox view", id)
	return backend.OutboxItem{}
}

func (e *env) inDefaultView(id int64) bool {
	e.t.Helper()
	items, err := e.db.OutboxItems(e.ctx, backend.OutboxFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, it := range items {
		if it.VariantID == id {
			return true
		}
	}
	return false
}

func TestFirstCommentFollowsThePostAsAReply(t *testing.T) {
	e := newEnv(t)
	masto, bsky := newFakeMasto(t), newFakeBsky(t)
	ma := e.account(backend.Mastodon, "@sol@masto.test")
	ba := e.account(backend.Bluesky, "@sol.test")
	ia := e.account(backend.Instagram, "solpanaderia")
	comment := "Receta completa aquí 👉 https://sol.example/pan?día=1 #pan"
	post, ids := e.postWithComment(t0, "Pan de masa madre 🥖 recién hecho", comment, ma, ba, ia)
	_, plain := e.post(t0, "Sin comentario", ma, ba)
	o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: masto.publisher(e), backend.Bluesky: bsky.publisher(e)}, Options{})
	e.runOnce(o)
	e.runOnce(o) // nothing more goes out

	// Mastodon: the post, then its comment replying to it with its own key.
	got := masto.Created()
	if len(got) != 3 {
		t.Fatalf("mastodon statuses %+v", got)
	}
	mp, mc := got[0], got[1]
	if mp.Text != "Pan de masa madre 🥖 recién hecho" || mp.InReplyTo != "" || mc.Text != comment || mc.InReplyTo != mp.ID ||
		mc.Key == "" || mc.Key == mp.Key || mc.Language != "es" || got[2].Text != "Sin comentario" {
		t.Fatalf("mastodon statuses %+v", got)
	}
	v := e.wantState(ids[0], backend.OutboxPublished)
	c := e.wantComment(ids[0], backend.CommentPublished)
	if v.Remote.ID != mp.ID || c.Remote.ID != mc.ID || c.Remote.URL != "https://masto.test/@sol/"+mc.ID || c.IdempotencyKey != mc.Key || c.Attempts != 1 {
		t.Fatalf("stored post %+v comment %+v", v.Remote, c)
	}

	// Bluesky: the reply's root and parent are the post's strong ref.
	recs := bsky.Records()
	if len(recs) != 3 {
		t.Fatalf("bluesky records %d", len(recs))
	}
	var bp, bc bluesky.Post
	json.Unmarshal(recs[0].Value, &bp)
	json.Unmarshal(recs[1].Value, &bc)
	bv := e.wantState(ids[1], backend.OutboxPublished)
	bcs := e.wantComment(ids[1], backend.CommentPublished)
	postURI := "at://" + bskyDID + "/app.bsky.feed.post/" + recs[0].Rkey
	if bp.Reply != nil || bc.Text != comment || bc.Reply == nil || bc.Reply.Root.URI != postURI || bc.Reply.Root.CID != recs[0].CID ||
		bc.Reply.Parent != bc.Reply.Root || bv.Remote.URI != postURI || bcs.RecordKey != recs[1].Rkey || bcs.RecordKey == bv.RecordKey ||
		bcs.Remote.CID != recs[1].CID || bcs.RemoteCreatedAt == nil || bc.CreatedAt != bcs.RemoteCreatedAt.Format("2006-01-02T15:04:05.000Z") {
		t.Fatalf("bluesky post %s\nreply %s\nstored %+v", recs[0].Value, recs[1].Value, bcs)
	}
	if len(bc.Facets) != 2 { // the link and the hashtag in the comment
		t.Errorf("reply facets %+v", bc.Facets)
	}

	// Manual network: nothing to send; the due-now row carries the comment to copy.
	e.wantState(ids[2], backend.OutboxDueManual)
	e.wantComment(ids[2], backend.CommentNone)
	if it := e.item(ids[2]); it.FirstComment != comment || it.CommentState != backend.CommentNone {
		t.Errorf("manual row %+v", it)
	}
	// No first comment: nothing queued.
	e.wantComment(plain[0], backend.CommentNone)
	e.wantComment(plain[1], backend.CommentNone)
	// Published with its comment: out of the default view.
	if e.inDefaultView(ids[0]) || e.inDefaultView(ids[1]) {
		t.Error("a post published with its comment is still in the default outbox view")
	}
	if s := e.postStatus(post); s != backend.StatusScheduled { // the manual variant still waits
		t.Errorf("post %s", s)
	}
	if err := o.RetryComment(e.ctx, ids[0]); backend.ErrorCode(err) != backend.EConflict {
		t.Errorf("retry of a published comment: %v", err)
	}
	if err := o.RetryComment(e.ctx, ids[2]); backend.ErrorCode(err) != backend.EInvalid {
		t.Errorf("retry of a manual network's comment: %v", err)
	}
}

// A comment that fails for a while is retried on its own; the post is never sent again.
func TestFirstCommentRetriedWithoutResendingThePost(t *testing.T) {
	t.Run("transient then rate limited", func(t *testing.T) {
		e := newEnv(t)
		masto := newFakeMasto(t)
		ma := e.account(backend.Mastodon, "@sol@masto.test")
		_, ids := e.postWithComment(t0, "Abrimos el domingo", "Horario: 9–14 h", ma)
		masto.set(func(n int, in mastoStatus) (int, string) {
			switch n {
			case 2:
				return http.StatusServiceUnavailable, ""
			case 3:
				return http.StatusTooManyRequests, "120"
			}
			return 0, ""
		}, nil)
		// A 503 may hide a created status: the retry looks first, and re-sends
		// once the call has settled on the server (here its clock is the test's).
		o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: masto.publisher(e)}, Options{MinBackoff: 10 * time.Second, Settle: time.Second})
		e.runOnce(o)
		e.wantState(ids[0], backend.OutboxPublished)
		c := e.wantComment(ids[0], backend.CommentPending)
		if c.NextAttemptAt == nil || !c.NextAttemptAt.After(t0) || c.LastErrorCode != backend.ETransient || c.IdempotencyKey == "" {
			t.Fatalf("after a 503: %+v", c)
		}
		// Visible: the published post stays in the default view with its comment's state.
		if it := e.item(ids[0]); it.State != backend.OutboxPublished || it.CommentState != backend.CommentPending ||
			it.CommentErrorCode != backend.ETransient || it.CommentErrorKey != "network.transient" || it.CommentNextAttemptAt == nil || it.FirstComment != "Horario: 9–14 h" {
			t.Fatalf("item %+v", it)
		}
		e.runOnce(o) // not before the backoff
		if n := len(masto.Calls()); n != 2 {
			t.Fatalf("%d calls before the backoff ended", n)
		}
		e.clock.Set(*c.NextAttemptAt)
		e.runOnce(o)
		c = e.wantComment(ids[0], backend.CommentPending)
		if c.LastErrorCode != backend.ERateLimited || c.NextAttemptAt == nil || !c.NextAttemptAt.Equal(e.clock.Now().Add(120*time.Second)) {
			t.Fatalf("after a 429: %+v", c)
		}
		e.clock.Advance(119 * time.Second)
		e.runOnce(o)
		if n := len(masto.Calls()); n != 3 {
			t.Fatalf("%d calls before Retry-After", n)
		}
		e.clock.Advance(time.Second)
		e.runOnce(o)
		c = e.wantComment(ids[0], backend.CommentPublished)
		calls := masto.Calls()
		if len(calls) != 4 || calls[0].InReplyTo != "" {
			t.Fatalf("calls %+v", calls)
		}
		for _, k := range calls[1:] {
			if k.Key != c.IdempotencyKey || k.InReplyTo != calls[0].ID && k.InReplyTo != masto.Created()[0].ID {
				t.Fatalf("comment retries must keep the key and the reply: %+v", calls)
			}
		}
		if got := masto.Created(); len(got) != 2 || got[1].InReplyTo != got[0].ID || c.Attempts != 3 {
			t.Fatalf("created %+v, attempts %d", got, c.Attempts)
		}
		if e.inDefaultView(ids[0]) {
			t.Error("still in the view once the comment is out")
		}
	})

	t.Run("refused: failed, visible, retried by the user", func(t *testing.T) {
		e := newEnv(t)
		masto := newFakeMasto(t)
		ma := e.account(backend.Mastodon, "@sol@masto.test")
		_, ids := e.postWithComment(t0, "Post", "Comentario demasiado largo", ma)
		masto.set(func(n int, in mastoStatus) (int, string) {
			if in.InReplyTo != "" && n == 2 {
				return http.StatusUnprocessableEntity, ""
			}
			return 0, ""
		}, nil)
		o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: masto.publisher(e)}, Options{})
		e.runOnce(o)
		e.wantState(ids[0], backend.OutboxPublished)
		e.wantComment(ids[0], backend.CommentFailed)
		it := e.item(ids[0])
		if it.CommentState != backend.CommentFailed || it.CommentErrorKey != "network.rejected" || !strings.Contains(it.CommentError, "Text is too long") {
			t.Fatalf("item %+v", it)
		}
		e.runOnce(o)
		if n := len(masto.Calls()); n != 2 {
			t.Fatalf("a failed comment was retried by itself: %d calls", n)
		}
		if err := o.RetryComment(e.ctx, ids[0]); err != nil {
			t.Fatal(err)
		}
		e.runOnce(o)
		e.wantComment(ids[0], backend.CommentPublished)
		if got := masto.Created(); len(got) != 2 || got[1].InReplyTo != got[0].ID {
			t.Fatalf("created %+v", got)
		}
	})

	t.Run("token revoked: the account pauses until resumed", func(t *testing.T) {
		e := newEnv(t)
		masto := newFakeMasto(t)
		ma := e.account(backend.Mastodon, "@sol@masto.test")
		_, ids := e.postWithComment(t0, "Post", "Comentario", ma)
		_, later := e.post(t0, "Otro post", ma)
		masto.set(func(n int, in mastoStatus) (int, string) {
			if n == 2 {
				return http.StatusUnauthorized, ""
			}
			return 0, ""
		}, nil)
		o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: masto.publisher(e)}, Options{})
		e.runOnce(o)
		e.wantState(ids[0], backend.OutboxPublished)
		e.wantComment(ids[0], backend.CommentPending)
		e.wantState(later[0], backend.OutboxPending) // the account stopped at the refusal
		e.runOnce(o)
		if n := len(masto.Calls()); n != 2 {
			t.Fatalf("%d calls while paused", n)
		}
		if it := e.item(ids[0]); !it.Paused || it.CommentErrorCode != backend.EAuth {
			t.Fatalf("item %+v", it)
		}
		if err := o.Resume(e.ctx, ma.ID); err != nil {
			t.Fatal(err)
		}
		e.runOnce(o)
		e.wantComment(ids[0], backend.CommentPublished)
		e.wantState(later[0], backend.OutboxPublished)
		if got := masto.Created(); len(got) != 3 {
			t.Fatalf("created %+v", got)
		}
	})
}

// crashingStore fails the commit of a comment's outcome: the process died
// right after the call, leaving the comment in `sending`.
type crashingStore struct {
	*sqlite.DB
	mu          sync.Mutex
	failOutcome bool
}

func (s *crashingStore) CommentUpdate(ctx context.Context, id int64, fn func(c *backend.CommentPublish, a *backend.AccountOutbox) error) error {
	s.mu.Lock()
	fail := s.failOutcome
	s.mu.Unlock()
	if fail {
		if j, err := s.DB.CommentJob(ctx, id); err == nil && j.Publish.State == backend.CommentSending {
			return errors.New("killed before the outcome was committed")
		}
	}
	return s.DB.CommentUpdate(ctx, id, fn)
}

func (s *crashingStore) crash(on bool) {
	s.mu.Lock()
	s.failOutcome = on
	s.mu.Unlock()
}

func TestFirstCommentCrashRecovery(t *testing.T) {
	// Each case: the post is published, the comment's call is made, and the
	// process dies before recording the outcome. A new process resolves it.
	t.Run("bluesky: the reply was created: found by its record key, not sent again", func(t *testing.T) {
		e := newEnv(t)
		bsky := newFakeBsky(t)
		ba := e.account(backend.Bluesky, "@sol.test")
		_, ids := e.postWithComment(t0, "Post", "Primer comentario", ba)
		cs := &crashingStore{DB: e.db}
		cs.crash(true)
		o := New(cs, map[backend.Network]backend.Publisher{backend.Bluesky: bsky.publisher(e)}, e.clock, e.reach, e.events, Options{Logf: t.Logf})
		e.runOnce(o)
		e.wantState(ids[0], backend.OutboxPublished)
		c := e.wantComment(ids[0], backend.CommentSending)
		if len(bsky.Records()) != 2 {
			t.Fatalf("records %d", len(bsky.Records()))
		}
		e.clock.Advance(3 * time.Hour) // long after: Bluesky's key is forever
		o2 := e.outbox(map[backend.Network]backend.Publisher{backend.Bluesky: bsky.publisher(e)}, Options{})
		e.runOnce(o2)
		c2 := e.wantComment(ids[0], backend.CommentPublished)
		puts := bsky.Puts()
		if len(puts) != 2 || len(bsky.Records()) != 2 || c2.RecordKey != c.RecordKey || c2.Remote.URI == "" || c2.Remote.CID != bsky.Records()[1].CID {
			t.Fatalf("puts %v records %d comment %+v", puts, len(bsky.Records()), c2)
		}
	})
	t.Run("bluesky: the call never arrived: sent again with the same key and createdAt", func(t *testing.T) {
		e := newEnv(t)
		bsky := newFakeBsky(t)
		ba := e.account(backend.Bluesky, "@sol.test")
		_, ids := e.postWithComment(t0, "Post", "Primer comentario", ba)
		bsky.fail = func(n int, rkey string) int {
			if n == 2 {
				return http.StatusBadGateway // a proxy in front: the PDS never saw it
			}
			return 0
		}
		cs := &crashingStore{DB: e.db}
		cs.crash(true)
		o := New(cs, map[backend.Network]backend.Publisher{backend.Bluesky: bsky.publisher(e)}, e.clock, e.reach, e.events, Options{Logf: t.Logf})
		e.runOnce(o)
		c := e.wantComment(ids[0], backend.CommentSending)
		e.clock.Advance(time.Hour)
		o2 := e.outbox(map[backend.Network]backend.Publisher{backend.Bluesky: bsky.publisher(e)}, Options{})
		e.runOnce(o2)
		c2 := e.wantComment(ids[0], backend.CommentPublished)
		recs := bsky.Records()
		var reply bluesky.Post
		json.Unmarshal(recs[1].Value, &reply)
		if len(recs) != 2 || recs[1].Rkey != c.RecordKey || !c2.RemoteCreatedAt.Equal(*c.RemoteCreatedAt) ||
			reply.CreatedAt != c.RemoteCreatedAt.Format("2006-01-02T15:04:05.000Z") || c2.Attempts != 2 {
			t.Fatalf("records %+v comment %+v", recs, c2)
		}
	})
	t.Run("mastodon: killed after the call: found among the account's statuses, not sent again", func(t *testing.T) {
		e := newEnv(t)
		masto := newFakeMasto(t)
		ma := e.account(backend.Mastodon, "@sol@masto.test")
		_, ids := e.postWithComment(t0, "Post", "Comentario", ma)
		cs := &crashingStore{DB: e.db}
		cs.crash(true)
		o := New(cs, map[backend.Network]backend.Publisher{backend.Mastodon: masto.publisher(e)}, e.clock, e.reach, e.events, Options{Logf: t.Logf})
		e.runOnce(o)
		c := e.wantComment(ids[0], backend.CommentSending)
		e.clock.Advance(20 * time.Minute)
		o2 := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: masto.publisher(e)}, Options{})
		e.runOnce(o2)
		c2 := e.wantComment(ids[0], backend.CommentPublished)
		calls, created := masto.Calls(), masto.Created()
		if len(calls) != 2 || calls[1].Key != c.IdempotencyKey || len(created) != 2 || c2.Remote.ID != created[1].ID || created[1].InReplyTo != created[0].ID ||
			c2.Remote.URL != "https://masto.test/@sol/"+created[1].ID {
			t.Fatalf("calls %+v created %+v comment %+v", calls, created, c2)
		}
	})
	t.Run("mastodon: the statuses cannot be listed: needs review, the user retries", func(t *testing.T) {
		e := newEnv(t)
		masto := newFakeMasto(t)
		masto.refuse = true
		ma := e.account(backend.Mastodon, "@sol@masto.test")
		post, ids := e.postWithComment(t0, "Post", "Comentario", ma)
		cs := &crashingStore{DB: e.db}
		cs.crash(true)
		o := New(cs, map[backend.Network]backend.Publisher{backend.Mastodon: masto.publisher(e)}, e.clock, e.reach, e.events, Options{Logf: t.Logf})
		e.runOnce(o)
		e.wantComment(ids[0], backend.CommentSending)
		e.clock.Advance(2 * time.Hour)
		o2 := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: masto.publisher(e)}, Options{})
		e.runOnce(o2)
		e.wantComment(ids[0], backend.CommentNeedsReview)
		if n := len(masto.Calls()); n != 2 {
			t.Fatalf("%d calls: re-sent though the network could not tell", n)
		}
		it := e.item(ids[0])
		if it.State != backend.OutboxPublished || it.CommentState != backend.CommentNeedsReview || it.CommentErrorKey != "outbox.comment_outcome_unknown" {
			t.Fatalf("item %+v", it)
		}
		if s := e.postStatus(post); s != backend.StatusPublished {
			t.Errorf("post %s", s)
		}
		// The user checked: skip it (it is there) — or retry. Retry here.
		if err := o2.RetryComment(e.ctx, ids[0]); err != nil {
			t.Fatal(err)
		}
		e.runOnce(o2)
		e.wantComment(ids[0], backend.CommentPublished)
		if err := o2.SkipComment(e.ctx, ids[0]); backend.ErrorCode(err) != backend.EConflict {
			t.Errorf("skip a published comment: %v", err)
		}
	})
	t.Run("answer lost: the comment's own uncertainty, the post untouched", func(t *testing.T) {
		e := newEnv(t)
		masto := newFakeMasto(t)
		ma := e.account(backend.Mastodon, "@sol@masto.test")
		_, ids := e.postWithComment(t0, "Post", "Comentario", ma)
		// The comment's answer is lost (httpx keeps the transport from
		// replaying the POST by itself): found on the instance afterwards.
		masto.set(nil, func(n int, in mastoStatus) bool { return n == 2 })
		o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: masto.publisher(e)}, Options{MinBackoff: time.Second})
		e.runOnce(o)
		v := e.wantState(ids[0], backend.OutboxPublished)
		c := e.wantComment(ids[0], backend.CommentPending)
		if c.UncertainSince == nil || v.UncertainSince != nil {
			t.Fatalf("comment %+v", c)
		}
		e.clock.Advance(time.Minute)
		e.runOnce(o)
		e.wantComment(ids[0], backend.CommentPublished)
		if created, calls := masto.Created(), masto.Calls(); len(created) != 2 || len(calls) != 2 {
			t.Fatalf("created %+v after %d calls", created, len(calls))
		}
	})
}

// Skipping a comment, and removing it in the editor before it goes out.
func TestFirstCommentSkippedOrRemoved(t *testing.T) {
	e := newEnv(t)
	masto := newFakeMasto(t)
	ma := e.account(backend.Mastodon, "@sol@masto.test")
	_, ids := e.postWithComment(t0, "Post", "Comentario", ma)
	post2, ids2 := e.postWithComment(t0.Add(10*time.Minute), "Post 2", "Otro comentario", ma)
	masto.set(func(n int, in mastoStatus) (int, string) {
		if in.InReplyTo != "" {
			return http.StatusTooManyRequests, "30" // definite: nothing was created
		}
		return 0, ""
	}, nil)
	o := e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: masto.publisher(e)}, Options{})
	e.runOnce(o)
	e.wantComment(ids[0], backend.CommentPending)
	if err := o.SkipComment(e.ctx, ids[0]); err != nil {
		t.Fatal(err)
	}
	e.wantComment(ids[0], backend.CommentSkipped)
	if e.inDefaultView(ids[0]) {
		t.Error("a skipped comment keeps the post in the view")
	}
	e.clock.Advance(10 * time.Minute)
	e.runOnce(o)
	e.wantComment(ids2[0], backend.CommentPending)
	// The second post's comment is removed in the editor before it goes out.
	p, err := e.db.GetPost(e.ctx, post2)
	if err != nil {
		t.Fatal(err)
	}
	p.FirstComment, p.Variants[0].FirstComment = "", ""
	if err := e.db.UpdatePost(e.ctx, p); err != nil {
		t.Fatal(err)
	}
	e.wantState(ids2[0], backend.OutboxPublished)
	masto.set(nil, nil)
	e.clock.Advance(time.Minute)
	e.runOnce(o)
	e.wantComment(ids[0], backend.CommentSkipped)
	e.wantComment(ids2[0], backend.CommentSkipped)
	if got := masto.Created(); len(got) != 2 {
		t.Fatalf("created %+v", got)
	}
}
