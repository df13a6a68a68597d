package outbox

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"pauta/backend"
)

// Exactly once without trusting the laptop's clock or the server's key
// memory: the real Mastodon client against onceServer, the outbox on a real
// SQLite file, the laptop's and the server's clocks moved independently.

type onceEnv struct {
	*env
	srv    *onceServer
	server *fakeClock // the instance's clock
	acc    backend.Account
	pub    onceRoute
}

func newOnceEnv(t *testing.T, ignoreKeys bool, serverAt time.Time) *onceEnv {
	t.Helper()
	e := newEnv(t)
	sc := &fakeClock{t: serverAt}
	srv := newOnceServer(sc, ignoreKeys, 1)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	a := &backend.Account{ClientID: e.client.ID, Network: backend.Mastodon, Handle: "@sol@example.social", RemoteID: "1"}
	if err := e.db.CreateAccount(e.ctx, a); err != nil {
		t.Fatal(err)
	}
	return &onceEnv{env: e, srv: srv, server: sc, acc: *a, pub: onceRoute{base: hs.URL, hc: hs.Client(), clock: e.clock}}
}

func (e *onceEnv) outbox(opt Options) *Outbox {
	if opt.Grace == 0 {
		opt.Grace = 24 * time.Hour // the laptop's clock jumps: nothing is "missed" here
	}
	if opt.PublishTimeout == 0 {
		opt.PublishTimeout = 5 * time.Second
	}
	if opt.Settle == 0 {
		opt.Settle = 2 * time.Minute
	}
	return e.env.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: e.pub}, opt)
}

// interruptNext makes the next status request stop the app mid-call: the
// server creates the status (or not) and the answer never arrives.
func (e *onceEnv) interruptNext(create bool) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	e.srv.mu.Lock()
	e.srv.hook = func(w http.ResponseWriter, r *http.Request, mk func() onceStatus) {
		if create {
			mk()
		}
		cancel()
		<-r.Context().Done()
	}
	e.srv.mu.Unlock()
	return ctx
}

func (e *onceEnv) normal() {
	e.srv.mu.Lock()
	e.srv.hook = nil
	e.srv.mu.Unlock()
}

func (e *onceEnv) received() int {
	e.srv.mu.Lock()
	defer e.srv.mu.Unlock()
	return e.srv.received
}

// The laptop's clock is 2 h fast when the post goes out on a server that
// ignores Idempotency-Key (GoToSocial); the app stops before the answer; the
// clock is corrected (jumps back 2 h) before the next start. Measured on the
// laptop, the attempt is in the future, which the old rule took for "inside
// the window": it re-sent and GoToSocial published twice. The lookup finds
// the status instead.
func TestOnceClockJumpsBackFindsThePost(t *testing.T) {
	t.Parallel()
	real := t0.Add(-2 * time.Hour) // the true time; the laptop says t0
	e := newOnceEnv(t, true, real)
	text := "Pan de masa madre recién hecho, @ana@otra.social: https://sol.example/pan?x=1&y=2 #pan"
	_, ids := e.post(real.Add(-time.Minute), text, e.acc)
	o := e.outbox(Options{})

	ctx := e.interruptNext(true)
	_ = o.RunOnce(ctx)
	v := e.wantState(ids[0], backend.OutboxPending)
	if v.UncertainSince == nil || v.Mark == nil || !v.Mark.ServerTime.Equal(real) {
		t.Fatalf("after the interrupted call: %+v", v)
	}

	e.normal()
	e.clock.Set(real.Add(30 * time.Second)) // corrected: 2 h back
	e.server.Advance(30 * time.Second)
	e.runOnce(o)
	v = e.wantState(ids[0], backend.OutboxPublished)
	if n := e.srv.count(text); n != 1 {
		t.Fatalf("the server has the post %d times", n)
	}
	if e.received() != 1 || v.Remote.ID == "" || v.Remote.URL == "" {
		t.Fatalf("%d status requests, ref %+v: want the one found by the lookup", e.received(), v.Remote)
	}
}

// The laptop's clock is 2 h fast at send time and corrected later; the
// retry comes 2.5 h after the first attempt. Mastodon forgot the key after
// an hour (of its own clock) while the laptop counts 30 min: the old rule
// re-sent and published twice. The lookup finds the status.
func TestOnceFastClockCorrectedRetryAfterKeyForgotten(t *testing.T) {
	t.Parallel()
	real := t0.Add(-2 * time.Hour)
	e := newOnceEnv(t, false, real)
	text := "Horario de Navidad"
	_, ids := e.post(real.Add(-time.Minute), text, e.acc)
	o := e.outbox(Options{})
	_ = o.RunOnce(e.interruptNext(true))
	e.wantState(ids[0], backend.OutboxPending)

	e.normal()
	e.server.Advance(150 * time.Minute)
	e.clock.Set(real.Add(150 * time.Minute)) // = t0 + 30 min on the laptop
	e.runOnce(o)
	e.wantState(ids[0], backend.OutboxPublished)
	if n := e.srv.count(text); n != 1 || e.received() != 1 {
		t.Fatalf("the server has the post %d times after %d requests", n, e.received())
	}
}

// The call never reached the server, and the laptop's clock jumps back 2 h.
// Not found is not enough to re-send while the call may still be running
// on the server: the outbox looks again later, whatever the laptop's clock
// says, and re-sends only once the SERVER's clock shows Settle has passed.
func TestOnceNotCreatedResentOnlyWhenTheServerSaysSettled(t *testing.T) {
	t.Parallel()
	e := newOnceEnv(t, true, t0)
	text := "Nuevo pan de centeno"
	_, ids := e.post(t0.Add(-3*time.Hour), text, e.acc)
	o := e.outbox(Options{Settle: 2 * time.Minute})
	_ = o.RunOnce(e.interruptNext(false))
	e.wantState(ids[0], backend.OutboxPending)
	e.normal()

	e.clock.Set(t0.Add(-2 * time.Hour)) // the laptop's clock jumps back
	e.server.Advance(10 * time.Second)
	e.runOnce(o)
	v := e.wantState(ids[0], backend.OutboxPending)
	if e.received() != 1 || v.UncertainSince == nil || v.NextAttemptAt == nil {
		t.Fatalf("re-sent before the server's clock settled it: %d requests, %+v", e.received(), v)
	}

	// Hours pass on the laptop, seconds on the server: still only a lookup.
	e.clock.Advance(5 * time.Hour)
	e.server.Advance(20 * time.Second)
	e.runOnce(o)
	if v := e.wantState(ids[0], backend.OutboxPending); e.received() != 1 || v.UncertainSince == nil {
		t.Fatalf("the laptop's clock decided a re-send: %d requests, %+v", e.received(), v)
	}

	e.server.Advance(2 * time.Minute) // now settled on the server
	e.clock.Advance(5 * time.Minute)
	e.runOnce(o)
	e.wantState(ids[0], backend.OutboxPublished)
	if n := e.srv.count(text); n != 1 || e.received() != 2 {
		t.Fatalf("the server has the post %d times after %d requests", n, e.received())
	}
}

// A first comment interrupted after the server created it, then the clock
// jumps back: found by its reply target, never sent twice.
func TestOnceCommentFoundByReplyTarget(t *testing.T) {
	t.Parallel()
	real := t0.Add(-2 * time.Hour)
	e := newOnceEnv(t, true, real)
	p := &backend.Post{ClientID: e.client.ID, Status: backend.StatusScheduled, BaseText: "Post", FirstComment: "Gracias",
		ScheduledAt: ptr(real.Add(-time.Minute)), TimeZone: "UTC", Variants: []backend.Variant{{AccountID: e.acc.ID}}}
	if err := e.db.CreatePost(e.ctx, p); err != nil {
		t.Fatal(err)
	}
	id := p.Variants[0].ID
	o := e.outbox(Options{})
	ctx, cancel := context.WithCancel(context.Background())
	var ours int64
	e.srv.mu.Lock()
	e.srv.hook = func(w http.ResponseWriter, r *http.Request, mk func() onceStatus) {
		st := mk()
		if st.Reply == "" { // the post goes through
			e.srv.answer(w, st)
			return
		}
		// Newer, by hand: the same text replying to another status.
		e.srv.mu.Lock()
		e.srv.nextID++
		e.srv.statuses = append(e.srv.statuses, onceStatus{ID: e.srv.nextID, Account: "1", Text: "Gracias", Reply: "42", At: e.server.Now()})
		e.srv.mu.Unlock()
		ours = st.ID
		cancel()
		<-r.Context().Done()
	}
	e.srv.mu.Unlock()
	_ = o.RunOnce(ctx)
	e.normal()
	e.clock.Set(real.Add(10 * time.Second))
	e.server.Advance(10 * time.Second)
	e.runOnce(o)
	cj, err := e.db.CommentJob(e.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if cj.Publish.State != backend.CommentPublished || e.srv.count("Gracias") != 1 || e.received() != 2 || cj.Publish.Remote.ID != fmt.Sprint(ours) {
		t.Fatalf("comment %s (%s) as %q (ours %d), created %d times, %d requests", cj.Publish.State, cj.Publish.LastError, cj.Publish.Remote.ID, ours, e.srv.count("Gracias"), e.received())
	}
}

func ptr[T any](v T) *T { return &v }

// A failed image upload happens before the status request: not sent, so
// retried freely. The images uploaded before are reused by the retry, and
// an interrupted call is then found by its media ids.
func TestOnceMediaUploadFailureIsNotSentAndUploadsAreReused(t *testing.T) {
	t.Parallel()
	e := newOnceEnv(t, true, t0)
	dir := t.TempDir()
	var files []backend.MediaFile
	for _, n := range []string{"a.jpg", "b.jpg"} {
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, []byte("jpeg "+n), 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, backend.MediaFile{Path: p, MIME: "image/jpeg", Alt: "pan " + n})
	}
	text := "Dos fotos"
	_, ids := e.post(t0.Add(-time.Minute), text, e.acc)
	o := e.outbox(Options{MinBackoff: time.Second, Prepare: func(ctx context.Context, j backend.OutboxJob, req *backend.PublishRequest) error {
		req.Media = files
		return nil
	}})
	// The second upload fails with a 503.
	uploads := 0
	failSecond := true
	e.srv.mu.Lock()
	srvHandler := http.Handler(e.srv)
	e.srv.mu.Unlock()
	wrapped := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v2/media" {
			uploads++
			if failSecond && uploads == 2 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
		}
		srvHandler.ServeHTTP(w, r)
	})
	hs := httptest.NewServer(wrapped)
	t.Cleanup(hs.Close)
	e.pub.base = hs.URL
	o.pubs[backend.Mastodon] = e.pub

	e.runOnce(o)
	v := e.wantState(ids[0], backend.OutboxPending)
	if v.UncertainSince != nil || e.received() != 0 || len(v.MediaUploads) != 1 {
		t.Fatalf("a failed upload: %+v, %d status requests", v, e.received())
	}
	failSecond = false
	e.clock.Advance(time.Minute)
	e.server.Advance(time.Minute)
	_ = o.RunOnce(e.interruptNext(true))
	v = e.wantState(ids[0], backend.OutboxPending)
	if uploads != 3 || len(v.MediaUploads) != 2 || v.UncertainSince == nil {
		t.Fatalf("%d uploads (want the first image reused), stored %+v", uploads, v.MediaUploads)
	}
	e.normal()
	e.clock.Advance(time.Minute)
	e.server.Advance(10 * time.Second)
	e.runOnce(o)
	e.wantState(ids[0], backend.OutboxPublished)
	if n := e.srv.count(text); n != 1 || e.received() != 1 || uploads != 3 {
		t.Fatalf("created %d times, %d status requests, %d uploads", n, e.received(), uploads)
	}
}

// Media ids reused after the server deleted them are refused: the images
// are uploaded again in the same call, and the post goes out once.
func TestOnceStaleMediaIdsAreUploadedAgain(t *testing.T) {
	t.Parallel()
	e := newOnceEnv(t, false, t0)
	p := filepath.Join(t.TempDir(), "a.jpg")
	if err := os.WriteFile(p, []byte("jpeg"), 0o600); err != nil {
		t.Fatal(err)
	}
	text := "Una foto"
	_, ids := e.post(t0.Add(-time.Minute), text, e.acc)
	o := e.outbox(Options{Settle: time.Minute, Prepare: func(ctx context.Context, j backend.OutboxJob, req *backend.PublishRequest) error {
		req.Media = []backend.MediaFile{{Path: p, MIME: "image/jpeg"}}
		return nil
	}})
	_ = o.RunOnce(e.interruptNext(false)) // uploaded, status never created
	v := e.wantState(ids[0], backend.OutboxPending)
	if len(v.MediaUploads) != 1 {
		t.Fatalf("uploads not stored: %+v", v)
	}
	e.normal()
	e.srv.mu.Lock()
	e.srv.media = map[string]string{} // the server cleaned its unattached media
	e.srv.mu.Unlock()
	e.server.Advance(2 * time.Minute)
	e.clock.Advance(2 * time.Minute)
	e.runOnce(o)
	e.wantState(ids[0], backend.OutboxPublished)
	if n := e.srv.count(text); n != 1 || e.srv.uploads != 2 {
		t.Fatalf("created %d times after %d uploads", n, e.srv.uploads)
	}
}

// The server is still working on the interrupted request when the app
// looks: not found is not "absent". A re-send then would race it (keys are
// stored only once a status exists, and GoToSocial ignores them); the
// outbox waits, and finds the status once the server has made it.
func TestOnceSlowServerIsNotRaced(t *testing.T) {
	t.Parallel()
	e := newOnceEnv(t, false, t0)
	text := "Despacio"
	_, ids := e.post(t0.Add(-time.Minute), text, e.acc)
	o := e.outbox(Options{Settle: 2 * time.Minute})
	ctx, cancel := context.WithCancel(context.Background())
	release, done := make(chan struct{}), make(chan struct{})
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	t.Cleanup(free) // before the server closes, even when the test fails
	e.srv.mu.Lock()
	e.srv.hook = func(w http.ResponseWriter, r *http.Request, mk func() onceStatus) {
		defer close(done)
		cancel()
		<-release // still working after the client gave up
		mk()
	}
	e.srv.mu.Unlock()
	_ = o.RunOnce(ctx)
	e.normal()

	e.clock.Advance(time.Minute)
	e.server.Advance(30 * time.Second)
	e.runOnce(o)
	if v := e.wantState(ids[0], backend.OutboxPending); e.received() != 1 || v.UncertainSince == nil {
		t.Fatalf("re-sent while the server was still working: %d requests", e.received())
	}
	free()
	<-done
	e.clock.Advance(2 * time.Minute) // past the next look
	e.server.Advance(time.Minute)
	e.runOnce(o)
	e.wantState(ids[0], backend.OutboxPublished)
	if n := e.srv.count(text); n != 1 || e.received() != 1 {
		t.Fatalf("created %d times after %d requests", n, e.received())
	}
}

// The connection drops after GoToSocial created the status. Go's transport
// re-sends by itself a POST that carries an Idempotency-Key on a reused
// connection; that replay must not happen (the server ignores the key): the
// outcome is unknown, and the lookup finds the status.
func TestOnceDroppedConnectionIsNotReplayedByTheTransport(t *testing.T) {
	t.Parallel()
	e := newOnceEnv(t, true, t0)
	text := "Sin repetir"
	_, ids := e.post(t0.Add(-time.Minute), text, e.acc)
	o := e.outbox(Options{})
	dropped := false
	e.srv.mu.Lock()
	e.srv.hook = func(w http.ResponseWriter, r *http.Request, mk func() onceStatus) {
		st := mk()
		e.srv.mu.Lock()
		first := !dropped
		dropped = true
		e.srv.mu.Unlock()
		if first {
			panic(http.ErrAbortHandler) // created; the connection drops before the answer
		}
		e.srv.answer(w, st)
	}
	e.srv.mu.Unlock()
	e.runOnce(o)
	if n := e.srv.count(text); n != 1 {
		t.Fatalf("the transport re-sent the post by itself: created %d times", n)
	}
	v := e.wantState(ids[0], backend.OutboxPending)
	if v.UncertainSince == nil {
		t.Fatalf("a dropped call is not 'unknown': %+v", v)
	}
	e.normal()
	e.clock.Advance(time.Minute)
	e.server.Advance(time.Minute)
	e.runOnce(o)
	e.wantState(ids[0], backend.OutboxPublished)
	if n := e.srv.count(text); n != 1 {
		t.Fatalf("created %d times", n)
	}
}

// A call interrupted under the previous version has no mark: nothing says
// which statuses are newer than it, so the outcome cannot be told. It goes
// to review, never re-sent on the laptop's clock (here inside the old
// window).
func TestOnceNoMarkNeedsReview(t *testing.T) {
	t.Parallel()
	e := newOnceEnv(t, false, t0)
	_, ids := e.post(t0.Add(-time.Minute), "De antes", e.acc)
	since := t0.Add(-time.Minute)
	err := e.db.OutboxUpdate(e.ctx, ids[0], func(v *backend.VariantPublish, _ *backend.AccountOutbox) error {
		v.State, v.SendingSince, v.Attempts, v.IdempotencyKey = backend.OutboxSending, &since, 1, NewIdempotencyKey()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	o := e.outbox(Options{})
	e.runOnce(o)
	e.wantState(ids[0], backend.OutboxNeedsReview)
	if e.received() != 0 {
		t.Fatalf("%d status requests", e.received())
	}
}
