package outbox

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"pauta/backend"
	"pauta/backend/platform/mastodon"
)

// onceServer answers like a Mastodon instance (or GoToSocial) for the
// parts the outbox uses: POST /api/v2/media, POST /api/v1/statuses and
// GET /api/v1/accounts/:id/statuses. Like the real servers:
//   - an Idempotency-Key is kept per account, stored only AFTER the status
//     is created (concurrent duplicates are not merged), and forgotten after
//     an hour of the SERVER's clock, which the test moves on its own;
//   - with ignoreKeys (GoToSocial) the header is ignored altogether;
//   - every answer carries a Date header from the server's clock, and a
//     status's content is HTML (paragraphs, links, remote mentions as @user);
//   - a media id can be attached once; an unknown or used one is refused (422).
//
// Accounts are "1", "2", ... with tokens "tok-1", "tok-2", ...
type onceServer struct {
	clock      backend.Clock // the server's clock
	ignoreKeys bool

	mu       sync.Mutex
	rng      *rand.Rand
	maxSleep time.Duration // a random pause before creating (kills land while the server works)
	nextID   int64
	statuses []onceStatus
	keys     map[string]onceKey // account + "\x00" + key
	media    map[string]string  // media id -> account ("" once attached)
	created  map[string]int     // statuses by text
	replays  int
	lookups  int // listings with since_id (the outbox resolving a call)
	marks    int
	uploads  int
	// favourites: favourite requests by account + "/" + status id; Mastodon
	// answers a repeat with the same status and no second favourite.
	favourites map[string]int
	// hook, when set, runs for a status request instead of answering
	// normally: it may create (create()) and decide the answer.
	hook     func(w http.ResponseWriter, r *http.Request, create func() onceStatus)
	gotReq   chan struct{}
	answered chan struct{}
	received int
	respond  int
}

type onceStatus struct {
	ID      int64
	Account string
	Text    string
	Reply   string
	Media   []string
	At      time.Time
}

type onceKey struct {
	id int64
	at time.Time
}

func newOnceServer(clock backend.Clock, ignoreKeys bool, seed uint64) *onceServer {
	return &onceServer{clock: clock, ignoreKeys: ignoreKeys, rng: rand.New(rand.NewPCG(seed, 3)), nextID: 113000000000000000,
		keys: map[string]onceKey{}, media: map[string]string{}, created: map[string]int{}, favourites: map[string]int{},
		gotReq: make(chan struct{}, 1), answered: make(chan struct{}, 1)}
}

// fastServerClock is the server's clock in the kill test: it runs `rate`
// times faster than real time from `start`, so calls settle (on the
// server's clock) in a fraction of the test's time, while the server still
// handles a request in a few real milliseconds.
type fastServerClock struct {
	start time.Time
	rate  int
}

func (c fastServerClock) Now() time.Time {
	return c.start.Add(time.Since(c.start) * time.Duration(c.rate))
}

func (s *onceServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Date", s.clock.Now().UTC().Format(http.TimeFormat))
	w.Header().Set("Content-Type", "application/json")
	acct, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer tok-")
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":"The access token is invalid"}`)
		return
	}
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/api/v2/media":
		s.mu.Lock()
		s.uploads++
		id := fmt.Sprint("m", s.uploads)
		s.media[id] = acct
		s.mu.Unlock()
		fmt.Fprintf(w, `{"id":%q,"url":"https://fake.example/media/%s"}`, id, id)
	case r.Method == http.MethodPost && r.URL.Path == "/api/v1/statuses":
		s.postStatus(w, r, acct)
	case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/api/v1/statuses/") && strings.HasSuffix(r.URL.Path, "/favourite"):
		s.favourite(w, strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/api/v1/statuses/"), "/favourite"), acct)
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/api/v1/accounts/") && strings.HasSuffix(r.URL.Path, "/statuses"):
		id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/api/v1/accounts/"), "/statuses")
		s.list(w, r, id)
	default:
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error":"Record not found"}`)
	}
}

func (s *onceServer) postStatus(w http.ResponseWriter, r *http.Request, acct string) {
	if err := r.ParseForm(); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	text, reply, key := r.PostFormValue("status"), r.PostFormValue("in_reply_to_id"), r.Header.Get("Idempotency-Key")
	media := r.PostForm["media_ids[]"]
	s.mu.Lock()
	s.received++
	sleep := time.Duration(0)
	if s.maxSleep > 0 {
		sleep = time.Duration(s.rng.Int64N(int64(s.maxSleep)))
	}
	hook := s.hook
	s.mu.Unlock()
	signal(s.gotReq)
	time.Sleep(sleep)

	s.mu.Lock()
	k := acct + "\x00" + key
	if prev, ok := s.keys[k]; ok && !s.ignoreKeys && key != "" && s.clock.Now().Sub(prev.at) < time.Hour {
		s.replays++
		st := s.byID(prev.id)
		s.mu.Unlock()
		s.answer(w, st)
		return
	}
	for _, m := range media {
		if s.media[m] != acct {
			s.mu.Unlock()
			w.WriteHeader(http.StatusUnprocessableEntity)
			fmt.Fprint(w, `{"error":"Validation failed: media not found"}`)
			return
		}
	}
	s.mu.Unlock()
	create := func() onceStatus {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.nextID++
		st := onceStatus{ID: s.nextID, Account: acct, Text: text, Reply: reply, Media: media, At: s.clock.Now()}
		for _, m := range media {
			s.media[m] = ""
		}
		s.statuses = append(s.statuses, st)
		s.created[text]++
		if key != "" {
			s.keys[k] = onceKey{id: st.ID, at: st.At} // after creating: a concurrent duplicate is not merged
		}
		return st
	}
	if hook != nil {
		hook(w, r, create)
		return
	}
	s.answer(w, create())
}

// favourite is POST /api/v1/statuses/:id/favourite on a status of another
// server (the inbox's), which it answers as a status the account favourited.
func (s *onceServer) favourite(w http.ResponseWriter, id, acct string) {
	s.mu.Lock()
	s.received++
	sleep := time.Duration(0)
	if s.maxSleep > 0 {
		sleep = time.Duration(s.rng.Int64N(int64(s.maxSleep)))
	}
	s.mu.Unlock()
	signal(s.gotReq)
	time.Sleep(sleep)
	s.mu.Lock()
	s.favourites[acct+"/"+id]++
	s.respond++
	s.mu.Unlock()
	fmt.Fprintf(w, `{"id":%q,"url":"https://remote.example/@someone/%s","favourited":true,"content":"","created_at":%q}`,
		id, id, s.clock.Now().UTC().Format(time.RFC3339))
	signal(s.answered)
}

func (s *onceServer) byID(id int64) onceStatus {
	for _, st := range s.statuses {
		if st.ID == id {
			return st
		}
	}
	return onceStatus{}
}

func (s *onceServer) answer(w http.ResponseWriter, st onceStatus) {
	b, _ := json.Marshal(s.entity(st))
	w.Write(b)
	s.mu.Lock()
	s.respond++
	s.mu.Unlock()
	signal(s.answered)
}

func (s *onceServer) entity(st onceStatus) map[string]any {
	id := strconv.FormatInt(st.ID, 10)
	e := map[string]any{"id": id, "uri": "https://fake.example/users/a" + st.Account + "/statuses/" + id,
		"url": "https://fake.example/@a" + st.Account + "/" + id, "content": renderContent(st.Text),
		"created_at": st.At.UTC().Format(time.RFC3339), "in_reply_to_id": nil, "reblog": nil}
	if st.Reply != "" {
		e["in_reply_to_id"] = st.Reply
	}
	if s.ignoreKeys {
		e["text"] = st.Text // GoToSocial gives the source of one's own statuses
	}
	media := []map[string]any{}
	for _, m := range st.Media {
		media = append(media, map[string]any{"id": m, "type": "image"})
	}
	e["media_attachments"] = media
	return e
}

// list is GET /api/v1/accounts/:id/statuses: newest first, since_id and
// max_id exclusive, limit at most 40.
func (s *onceServer) list(w http.ResponseWriter, r *http.Request, acct string) {
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 || limit > 40 {
		limit = 20
	}
	since, _ := strconv.ParseInt(q.Get("since_id"), 10, 64)
	maxID, _ := strconv.ParseInt(q.Get("max_id"), 10, 64)
	s.mu.Lock()
	if q.Has("since_id") {
		s.lookups++
	} else if limit == 1 {
		s.marks++
	}
	out := []map[string]any{}
	for i := len(s.statuses) - 1; i >= 0 && len(out) < limit; i-- {
		st := s.statuses[i]
		if st.Account != acct || st.ID <= since || maxID != 0 && st.ID >= maxID {
			continue
		}
		out = append(out, s.entity(st))
	}
	s.mu.Unlock()
	b, _ := json.Marshal(out)
	w.Write(b)
}

func (s *onceServer) count(text string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.created[text]
}

var (
	onceLink    = regexp.MustCompile(`https?://[^\s<]+`)
	onceMention = regexp.MustCompile(`(^|\s)@(\w+)@([\w.-]+\w)`)
)

// renderContent turns a status text into HTML the way Mastodon does:
// paragraphs, <br />, links split into invisible spans, remote mentions
// shown as @user.
func renderContent(text string) string {
	var paras []string
	for _, p := range strings.Split(text, "\n\n") {
		p = html.EscapeString(p)
		p = onceLink.ReplaceAllStringFunc(p, func(u string) string {
			scheme, rest, _ := strings.Cut(u, "://")
			return `<a href="` + u + `" rel="nofollow noopener" target="_blank"><span class="invisible">` + scheme + `://</span><span class="">` + rest + `</span></a>`
		})
		p = onceMention.ReplaceAllString(p, `$1<span class="h-card"><a href="https://$3/@$2" class="u-url mention">@<span>$2</span></a></span>`)
		paras = append(paras, strings.ReplaceAll(p, "\n", "<br />"))
	}
	return "<p>" + strings.Join(paras, "</p><p>") + "</p>"
}

// onceRoute publishes for every account of the fake instance with the
// real client, as the app's route does: token "tok-<RemoteID>".
type onceRoute struct {
	base  string
	hc    *http.Client
	clock backend.Clock
}

func (r onceRoute) client(a backend.Account) *mastodon.Client {
	c, err := mastodon.New(r.base, "tok-"+a.RemoteID, r.hc, r.clock)
	if err != nil {
		panic(err)
	}
	return c
}

func (r onceRoute) Publish(ctx context.Context, req backend.PublishRequest) (backend.RemoteRef, error) {
	return r.client(req.Account).Publish(ctx, req)
}

func (r onceRoute) Mark(ctx context.Context, a backend.Account) (backend.RemoteMark, error) {
	return r.client(a).Mark(ctx, a)
}

func (r onceRoute) Find(ctx context.Context, req backend.PublishRequest, m backend.RemoteMark) (backend.FindResult, error) {
	return r.client(req.Account).Find(ctx, req, m)
}
