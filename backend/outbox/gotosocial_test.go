package outbox

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/platform/mastodon"
)

// fakeGTS answers like GoToSocial. 0.19 (the stable release when issue 12
// was filed): a status with scheduled_at is answered 501 {"error":"Not
// Implemented: scheduled statuses are not yet supported"}, the list of
// scheduled statuses 404, and Idempotency-Key is ignored (a repeat posts
// again). 0.20: scheduling like Mastodon (scheduled_at at least 5 minutes
// ahead by the server's clock, 422 below), still no idempotency. Media
// uploads answer 200 at once in both.
type fakeGTS struct {
	t     *testing.T
	clock *fakeClock
	srv   *httptest.Server

	mu        sync.Mutex
	version   string        // "0.19.2" or "0.20.0"
	skew      time.Duration // the server's clock minus the laptop's
	nextID    int
	scheduled map[string]*fakeScheduled
	statuses  []fakeStatus
	calls     map[string]int // "POST statuses", "POST scheduled", "LIST", "PROBE", "MEDIA", "ACCOUNT STATUSES", "PUT", "DELETE"
	// hold: the next scheduled create is still being processed (not stored,
	// not answered) until the channel is closed; processing waits for it.
	hold       chan struct{}
	processing sync.WaitGroup
}

func newFakeGTS(t *testing.T, clock *fakeClock, version string) *fakeGTS {
	f := &fakeGTS{t: t, clock: clock, version: version, scheduled: map[string]*fakeScheduled{}, calls: map[string]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeGTS) schedules() bool { return !strings.HasPrefix(f.version, "0.19") }

func (f *fakeGTS) id() string { f.nextID++; return fmt.Sprintf("01JGTS%04d", f.nextID) }

func (f *fakeGTS) serve(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer tok" {
		writeJSON(w, 401, map[string]string{"error": "Unauthorized: token not supplied"})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.clock.Now().Add(f.skew)
	w.Header().Set("Date", now.UTC().Format(http.TimeFormat))
	path := r.URL.Path
	switch {
	case r.Method == "POST" && path == "/api/v2/media":
		f.calls["MEDIA"]++
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			writeJSON(w, 400, map[string]string{"error": "Bad Request: no file"})
			return
		}
		writeJSON(w, 200, map[string]any{"id": f.id(), "type": "image", "url": "https://gts.example/fileserver/1.png", "description": r.FormValue("description")})
	case r.Method == "POST" && path == "/api/v1/statuses":
		r.ParseForm()
		if at := r.PostForm.Get("scheduled_at"); at != "" {
			f.calls["POST scheduled"]++
			if !f.schedules() {
				writeJSON(w, 501, map[string]string{"error": "Not Implemented: scheduled statuses are not yet supported"})
				return
			}
			when, err := time.Parse(time.RFC3339, at)
			if err != nil || when.Sub(now) < 5*time.Minute {
				writeJSON(w, 422, map[string]string{"error": "Unprocessable Entity: scheduled_at must be at least 5 minutes in the future"})
				return
			}
			if hold := f.hold; hold != nil {
				f.hold = nil
				f.processing.Add(1)
				defer f.processing.Done()
				f.mu.Unlock()
				<-hold
				f.mu.Lock()
			}
			ss := &fakeScheduled{ID: f.id(), ScheduledAt: when}
			ss.Params.Text, ss.Params.Language, ss.Params.MediaIDs = r.PostForm.Get("status"), r.PostForm.Get("language"), r.PostForm["media_ids[]"]
			f.scheduled[ss.ID] = ss
			writeJSON(w, 200, ss)
			return
		}
		f.calls["POST statuses"]++
		writeJSON(w, 200, f.publish(r.PostForm.Get("status"), now))
	case r.Method == "GET" && path == "/api/v1/scheduled_statuses":
		if r.URL.Query().Get("limit") == "1" {
			f.calls["PROBE"]++
		} else {
			f.calls["LIST"]++
		}
		if !f.schedules() {
			writeJSON(w, 404, map[string]string{"error": "Not Found"})
			return
		}
		list := []*fakeScheduled{}
		for _, s := range f.scheduled {
			list = append(list, s)
		}
		writeJSON(w, 200, list)
	case f.schedules() && strings.HasPrefix(path, "/api/v1/scheduled_statuses/"):
		id := strings.TrimPrefix(path, "/api/v1/scheduled_statuses/")
		ss, ok := f.scheduled[id]
		if !ok {
			writeJSON(w, 404, map[string]string{"error": "Not Found"})
			return
		}
		switch r.Method {
		case "PUT":
			f.calls["PUT"]++
			r.ParseForm()
			when, err := time.Parse(time.RFC3339, r.PostForm.Get("scheduled_at"))
			if err != nil || when.Sub(now) < 5*time.Minute {
				writeJSON(w, 422, map[string]string{"error": "Unprocessable Entity: scheduled_at must be at least 5 minutes in the future"})
				return
			}
			ss.ScheduledAt = when
			writeJSON(w, 200, ss)
		case "DELETE":
			f.calls["DELETE"]++
			delete(f.scheduled, id)
			writeJSON(w, 200, map[string]any{})
		default:
			writeJSON(w, 405, map[string]string{"error": "Method Not Allowed"})
		}
	case r.Method == "GET" && strings.HasPrefix(path, "/api/v1/accounts/") && strings.HasSuffix(path, "/statuses"):
		f.calls["ACCOUNT STATUSES"]++
		list := append([]fakeStatus(nil), f.statuses...)
		for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
			list[i], list[j] = list[j], list[i] // newest first
		}
		writeJSON(w, 200, list)
	default:
		writeJSON(w, 404, map[string]string{"error": "Not Found"})
	}
}

// publish creates a status (the caller holds mu).
func (f *fakeGTS) publish(text string, at time.Time) fakeStatus {
	id := f.id()
	st := fakeStatus{ID: id, URI: "https://gts.example/users/forno/statuses/" + id, URL: "https://gts.example/@forno/statuses/" + id,
		CreatedAt: at, Content: "<p>" + strings.ReplaceAll(text, "\n", "<br>") + "</p>"}
	f.statuses = append(f.statuses, st)
	return st
}

// publishDue plays 0.20's scheduler.
func (f *fakeGTS) publishDue() {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.clock.Now().Add(f.skew)
	for id, ss := range f.scheduled {
		if !ss.ScheduledAt.After(now) {
			f.publish(ss.Params.Text, ss.ScheduledAt.Add(3*time.Second))
			delete(f.scheduled, id)
		}
	}
}

func (f *fakeGTS) count(k string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[k]
}

func (f *fakeGTS) set(fn func()) {
	f.mu.Lock()
	fn()
	f.mu.Unlock()
}

// gtsEnv is an env with a connected account on a fake GoToSocial whose
// capability is as the migration leaves it (unknown) unless set.
type gtsEnv struct {
	*env
	gts *fakeGTS
	acc backend.Account
	pub *mastodon.Client
	opt Options
}

func newGTSEnv(t *testing.T, version string, known string, probedAt *time.Time) *gtsEnv {
	e := newEnv(t)
	f := newFakeGTS(t, e.clock, version)
	host := strings.TrimPrefix(f.srv.URL, "http://")
	a := &backend.Account{ClientID: e.client.ID, Network: backend.Mastodon, Handle: "@forno@" + host,
		Connection: backend.ConnConnected, ServiceURL: f.srv.URL, RemoteID: "01JACC", ServerSchedules: known, SchedulesProbedAt: probedAt}
	if err := e.db.CreateAccount(e.ctx, a); err != nil {
		t.Fatal(err)
	}
	c, err := mastodon.New(f.srv.URL, "tok", f.srv.Client(), e.clock)
	if err != nil {
		t.Fatal(err)
	}
	c.PollInterval = time.Millisecond
	img := filepath.Join(t.TempDir(), "forno.png")
	os.WriteFile(img, []byte("\x89PNG fake"), 0o600)
	g := &gtsEnv{env: e, gts: f, acc: *a, pub: c}
	g.opt.Prepare = func(ctx context.Context, j backend.OutboxJob, req *backend.PublishRequest) error {
		req.Media = []backend.MediaFile{{Path: img, MIME: "image/png", Alt: "Pane appena sfornato"}}
		return nil
	}
	return g
}

func (e *gtsEnv) newOutbox() *Outbox {
	return e.outbox(map[backend.Network]backend.Publisher{backend.Mastodon: e.pub}, e.opt)
}

func (e *gtsEnv) account() backend.Account {
	e.t.Helper()
	a, err := e.db.GetAccount(e.ctx, e.acc.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return *a
}

func (e *gtsEnv) rows() []backend.RemoteSchedule {
	e.t.Helper()
	rows, err := e.db.RemoteSchedules(e.ctx, e.acc.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return rows
}

func (e *gtsEnv) sync(o *Outbox) {
	e.t.Helper()
	o.Wake()
	e.runOnce(o)
}

func (e *gtsEnv) item(id int64) backend.OutboxItem {
	e.t.Helper()
	list, err := e.db.OutboxItems(e.ctx, backend.OutboxFilter{States: backend.OutboxStates})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, it := range list {
		if it.VariantID == id {
			return it
		}
	}
	e.t.Fatalf("variant %d not in the outbox view", id)
	return backend.OutboxItem{}
}

// The case: an account on GoToSocial 0.19 (capability unknown, as
// after the upgrade). The sync asks, learns "no", hands nothing over, and
// the post goes out from the laptop at its time, exactly once.
func TestGoToSocial019PublishesFromLaptop(t *testing.T) {
	e := newGTSEnv(t, "0.19.2", backend.ServerSchedulesUnknown, nil)
	o := e.newOutbox()
	due := t0.Add(2 * time.Hour)
	_, ids := e.post(due, "Pane caldo alle 12", e.acc)
	e.sync(o)
	if a := e.account(); a.ServerSchedules != backend.ServerSchedulesNo || a.SchedulesProbedAt == nil || !a.SchedulesProbedAt.Equal(t0) {
		t.Fatalf("account %q probed %v", a.ServerSchedules, a.SchedulesProbedAt)
	}
	if e.gts.count("PROBE") != 1 || e.gts.count("POST scheduled") != 0 || len(e.rows()) != 0 {
		t.Fatalf("calls %v rows %+v", e.gts.calls, e.rows())
	}
	if e.events.count(backend.EventAccountsChanged) != 1 {
		t.Errorf("the UI was not told: %v", e.events.list)
	}
	// Syncs before its time: no question again, nothing created, nothing sent.
	for i := 0; i < 5; i++ {
		e.clock.Advance(remoteListEvery)
		e.sync(o)
	}
	e.wantState(ids[0], backend.OutboxPending)
	if e.gts.count("PROBE") != 1 || e.gts.count("POST scheduled") != 0 || e.gts.count("POST statuses") != 0 {
		t.Fatalf("calls %v", e.gts.calls)
	}
	e.clock.Set(due)
	e.sync(o)
	v := e.wantState(ids[0], backend.OutboxPublished)
	if !strings.HasPrefix(v.Remote.URL, "https://gts.example/@forno/statuses/") {
		t.Fatalf("remote %+v", v.Remote)
	}
	for i := 0; i < 3; i++ {
		e.clock.Advance(time.Hour)
		e.sync(o)
	}
	if e.gts.count("POST statuses") != 1 || e.gts.count("MEDIA") != 1 {
		t.Fatalf("published %d times (media %d), want once", e.gts.count("POST statuses"), e.gts.count("MEDIA"))
	}
}

// An account believed to schedule (asked before a downgrade, or a server
// answering the list but not the create): the create's 501 certainly
// created nothing. The post is let go at once, the account learns "no",
// no other post is handed over, and each goes out from the laptop once.
func TestGoToSocial019CreateAnswered501(t *testing.T) {
	probed := t0.Add(-time.Hour)
	e := newGTSEnv(t, "0.19.2", backend.ServerSchedulesYes, &probed)
	o := e.newOutbox()
	due := t0.Add(2 * time.Hour)
	_, first := e.post(due, "Focaccia del giorno", e.acc)
	e.sync(o)
	if e.gts.count("POST scheduled") != 1 {
		t.Fatalf("calls %v", e.gts.calls)
	}
	r := e.rows()
	if len(r) != 1 || r[0].Held() || r[0].LastErrorCode != backend.ENoServerSchedule || r[0].LastErrorKey != "mastodon.no_server_schedule" {
		t.Fatalf("the 501 must release the post: %+v", r)
	}
	if a := e.account(); a.ServerSchedules != backend.ServerSchedulesNo {
		t.Fatalf("account %q", a.ServerSchedules)
	}
	it := e.item(first[0])
	if it.State != backend.OutboxPending || it.RemoteScheduled || it.RemoteErrorKey != "mastodon.no_server_schedule" {
		t.Fatalf("outbox item %+v", it)
	}
	_, second := e.post(due.Add(time.Hour), "Pizza al taglio", e.acc)
	e.clock.Advance(remoteListEvery)
	e.sync(o)
	if e.gts.count("POST scheduled") != 1 {
		t.Fatalf("handed over again after the 501: %v", e.gts.calls)
	}
	e.clock.Set(due)
	e.sync(o)
	e.wantState(first[0], backend.OutboxPublished)
	e.clock.Set(due.Add(time.Hour))
	e.sync(o)
	e.wantState(second[0], backend.OutboxPublished)
	e.clock.Advance(2 * time.Hour)
	e.sync(o)
	if e.gts.count("POST statuses") != 2 {
		t.Fatalf("published %d times, want 2", e.gts.count("POST statuses"))
	}
}

// Rows left by the version that took the 501 for "maybe created": the post
// stayed reserved for the server and was never published. Now a 501-answered
// row is let go (published from here at its time, or missed with its reason
// when that passed); a row whose answer was lost stays reserved, never sent
// from here, and is shown as missed at its time + grace.
func TestGoToSocial019StuckRowsFromBefore(t *testing.T) {
	e := newGTSEnv(t, "0.19.2", backend.ServerSchedulesUnknown, nil)
	host := strings.TrimPrefix(e.gts.srv.URL, "http://")
	soon, long, lost := t0.Add(30*time.Minute), t0.Add(-3*time.Hour), t0.Add(40*time.Minute)
	_, a := e.post(soon, "Cornetti alle 10:30", e.acc)
	_, b := e.post(long, "Questo doveva uscire alle 7", e.acc)
	_, c := e.post(lost, "Risposta persa", e.acc)
	stuck := func(id int64, at time.Time, text, lastErr string) {
		created := t0.Add(-4 * time.Hour)
		r := backend.RemoteSchedule{VariantID: id, AccountID: e.acc.ID, ScheduledAt: &at, Hash: "h", Text: text,
			IdempotencyKey: NewIdempotencyKey(), CreatingSince: &created, LastErrorCode: backend.ETransient, LastErrorKey: "network.transient", LastError: lastErr}
		if err := e.db.RemoteSave(e.ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	stuck(a[0], soon, "Cornetti alle 10:30", host+" answered 501: retry later")
	stuck(b[0], long, "Questo doveva uscire alle 7", host+" answered 501: retry later")
	stuck(c[0], lost, "Risposta persa", "cannot reach "+host+": timeout")

	o := e.newOutbox()
	e.sync(o)
	if e.account().ServerSchedules != backend.ServerSchedulesNo {
		t.Fatal("not asked")
	}
	e.sync(o) // the next pass sees the released row
	// 3 h past its time: missed, and why.
	v := e.wantState(b[0], backend.OutboxMissed)
	if v.LastErrorKey != keyMissedUnscheduled || !strings.Contains(v.LastError, "cannot hold scheduled posts") {
		t.Fatalf("missed without its reason: %+v", v)
	}
	e.clock.Set(soon)
	e.sync(o)
	e.wantState(a[0], backend.OutboxPublished)
	e.wantState(c[0], backend.OutboxPending)
	e.clock.Set(lost.Add(16 * time.Minute))
	e.sync(o)
	e.wantState(c[0], backend.OutboxPending) // a sync tries first
	e.sync(o)
	v = e.wantState(c[0], backend.OutboxMissed)
	if v.LastErrorKey != keyMissedUnconfirmed {
		t.Fatalf("lost answer: %+v", v)
	}
	e.clock.Advance(time.Hour)
	e.sync(o)
	if e.gts.count("POST statuses") != 1 || e.gts.count("POST scheduled") != 0 {
		t.Fatalf("calls %v", e.gts.calls)
	}
	// The user checked the account and publishes it now: it goes out once.
	if err := o.PublishNow(e.ctx, c[0]); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(remoteListEvery)
	e.sync(o)
	e.sync(o)
	e.wantState(c[0], backend.OutboxPublished)
	if e.gts.count("POST statuses") != 2 {
		t.Fatalf("calls %v", e.gts.calls)
	}
}

// GoToSocial 0.20 schedules: the post (with its image, uploaded with a 200)
// is held by the server, which publishes it; one whose scheduled_at the
// server finds under 5 minutes (its clock is 2 minutes ahead) is refused
// with 422 and published from here at its time. Each goes out once.
func TestGoToSocial020HoldsScheduledPosts(t *testing.T) {
	e := newGTSEnv(t, "0.20.0", backend.ServerSchedulesUnknown, nil)
	e.gts.set(func() { e.gts.skew = 2 * time.Minute })
	o := e.newOutbox()
	far := t0.Add(2 * time.Hour)
	close := t0.Add(RemoteLead + 30*time.Second)
	_, held := e.post(far, "Pane nero", e.acc)
	_, refused := e.post(close, "Ultimi cornetti", e.acc)
	e.sync(o)
	if e.account().ServerSchedules != backend.ServerSchedulesYes {
		t.Fatal("0.20 not recognised")
	}
	rows := map[int64]backend.RemoteSchedule{}
	for _, r := range e.rows() {
		rows[r.VariantID] = r
	}
	if r := rows[held[0]]; r.RemoteID == "" || r.CreatingSince != nil {
		t.Fatalf("not held by the server: %+v", r)
	}
	if r := rows[refused[0]]; r.Held() || r.LastErrorCode != backend.EInvalid || !strings.Contains(r.LastError, "at least 5 minutes") {
		t.Fatalf("422: %+v", r)
	}
	if e.gts.count("MEDIA") != 2 || e.gts.count("POST scheduled") != 2 {
		t.Fatalf("calls %v", e.gts.calls)
	}
	e.clock.Set(close)
	e.sync(o)
	e.wantState(refused[0], backend.OutboxPublished)
	e.clock.Set(far.Add(time.Minute))
	e.gts.publishDue()
	e.clock.Advance(remoteListEvery)
	e.sync(o)
	v := e.wantState(held[0], backend.OutboxPublished)
	if !strings.HasPrefix(v.Remote.URL, "https://gts.example/") {
		t.Fatalf("remote %+v", v.Remote)
	}
	e.clock.Advance(time.Hour)
	e.sync(o)
	if n := e.gts.count("POST statuses"); n != 1 { // the refused one; the held one was the server's
		t.Fatalf("published from here %d times, want 1 (%v)", n, e.gts.calls)
	}
}

// A server upgraded from 0.19 to 0.20 is picked up by the daily question
// (by the outbox's clock), not before.
func TestGoToSocialUpgradePickedUpDaily(t *testing.T) {
	probed := t0
	e := newGTSEnv(t, "0.19.2", backend.ServerSchedulesNo, &probed)
	o := e.newOutbox()
	e.gts.set(func() { e.gts.version = "0.20.0" })
	due := t0.Add(48 * time.Hour)
	_, ids := e.post(due, "Colomba di Pasqua", e.acc)
	e.clock.Advance(23 * time.Hour)
	e.sync(o)
	if e.gts.count("PROBE") != 0 || e.gts.count("POST scheduled") != 0 {
		t.Fatalf("asked before a day passed: %v", e.gts.calls)
	}
	e.clock.Advance(time.Hour)
	e.sync(o)
	if e.gts.count("PROBE") != 1 || e.account().ServerSchedules != backend.ServerSchedulesYes {
		t.Fatalf("calls %v, account %q", e.gts.calls, e.account().ServerSchedules)
	}
	if r := e.rows(); len(r) != 1 || r[0].RemoteID == "" {
		t.Fatalf("not handed over after the upgrade: %+v", r)
	}
	e.wantState(ids[0], backend.OutboxPending)
}
