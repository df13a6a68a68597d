package outbox

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/platform/bluesky"
)

// Likes from the inbox go through the outbox: exactly once per item, also
// when the network's answer is lost (the like is then sent again, which
// both networks answer without a second like), and a like given offline
// goes out once when the network is back.

// likeFake speaks the two endpoints a like uses: Mastodon's POST
// /api/v1/statuses/:id/favourite (a repeat answers the same status, no
// second favourite) and Bluesky's com.atproto.repo.putRecord of an
// app.bsky.feed.like (swapRecord null: an identical record at the key is a
// no-op, a different one is InvalidSwap). drop makes the next request be
// carried out and its answer lost (the connection closes).
type likeFake struct {
	mu        sync.Mutex
	requests  int
	favs      map[string]int             // status id → favourites made
	records   map[string]json.RawMessage // collection/rkey → record
	likesOf   map[string]int             // subject uri → like records
	drop      bool
	down      bool // refuse every request (503): offline-like
	lastRkeys []string
}

func newLikeFake() *likeFake {
	return &likeFake{favs: map[string]int{}, records: map[string]json.RawMessage{}, likesOf: map[string]int{}}
}

func (f *likeFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Date", time.Now().UTC().Format(http.TimeFormat))
	f.mu.Lock()
	f.requests++
	drop, down := f.drop, f.down
	f.drop = false
	f.mu.Unlock()
	if down {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, `{"error":"down"}`)
		return
	}
	var answer []byte
	status := http.StatusOK
	switch {
	case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/api/v1/statuses/") && strings.HasSuffix(r.URL.Path, "/favourite"):
		id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/api/v1/statuses/"), "/favourite")
		f.mu.Lock()
		if f.favs[id] == 0 {
			f.favs[id] = 1 // a repeat is the same favourite
		}
		f.mu.Unlock()
		answer, _ = json.Marshal(map[string]any{"id": id, "url": "https://fake.example/@x/" + id, "favourited": true})
	case r.Method == http.MethodPost && r.URL.Path == "/xrpc/com.atproto.repo.putRecord":
		var in struct {
			Repo       string          `json:"repo"`
			Collection string          `json:"collection"`
			Rkey       string          `json:"rkey"`
			Record     json.RawMessage `json:"record"`
		}
		b, _ := io.ReadAll(r.Body)
		if json.Unmarshal(b, &in) != nil || in.Collection != bluesky.LikeCollection {
			status, answer = http.StatusBadRequest, []byte(`{"error":"InvalidRequest"}`)
			break
		}
		var rec bluesky.LikeRecord
		_ = json.Unmarshal(in.Record, &rec)
		k := in.Collection + "/" + in.Rkey
		uri := "at://" + in.Repo + "/" + k
		f.mu.Lock()
		f.lastRkeys = append(f.lastRkeys, in.Rkey)
		prev, exists := f.records[k]
		switch {
		case !exists:
			f.records[k] = in.Record
			f.likesOf[rec.Subject.URI]++
		case !bytes.Equal(prev, in.Record):
			status, answer = http.StatusBadRequest, []byte(`{"error":"InvalidSwap","message":"Record was at a different cid"}`)
		}
		f.mu.Unlock()
		if answer == nil {
			answer, _ = json.Marshal(map[string]string{"uri": uri, "cid": "bafylike" + in.Rkey})
		}
	default:
		status, answer = http.StatusNotFound, []byte(`{"error":"Record not found"}`)
	}
	if drop {
		// Carried out; the answer is lost on the way back.
		if hj, ok := w.(http.Hijacker); ok {
			conn, _, err := hj.Hijack()
			if err == nil {
				conn.Close()
				return
			}
		}
	}
	w.WriteHeader(status)
	w.Write(answer)
}

type memSessions struct{ s bluesky.Session }

func (m memSessions) Load(context.Context) (bluesky.Session, error) { return m.s, nil }
func (m memSessions) Save(context.Context, bluesky.Session) error   { return nil }

// likeRoute publishes with the real clients against the fake.
type likeRoute struct {
	net   backend.Network
	base  string
	hc    *http.Client
	clock backend.Clock
}

func (r likeRoute) Publish(ctx context.Context, req backend.PublishRequest) (backend.RemoteRef, error) {
	if r.net == backend.Mastodon {
		return onceRoute{base: r.base, hc: r.hc, clock: r.clock}.Publish(ctx, req)
	}
	c, err := bluesky.New(r.base, r.hc, r.clock, memSessions{bluesky.Session{DID: "did:plc:sol", Handle: "sol.bsky.social", PDS: r.base, AccessJWT: "acc", RefreshJWT: "ref"}})
	if err != nil {
		return backend.RemoteRef{}, err
	}
	return c.Publish(ctx, req)
}

// likeItem stores an inbox item of the account and queues a like of it.
func likeItem(e *env, acc backend.Account, subject backend.RemoteRef) int64 {
	e.t.Helper()
	n := backend.Notification{RemoteID: "n-" + subject.ID + subject.URI, Kind: backend.KindListening, CreatedAt: t0,
		Author:  backend.RemoteAuthor{ID: "a1", Handle: "ana@x.example"},
		Subject: &backend.RemotePost{Ref: subject, Text: "me encanta el pan"}}
	added, err := e.db.InboxSave(e.ctx, []backend.InboxItem{{AccountID: acc.ID, Notification: n, ArrivedAt: t0}}, backend.InboxSync{AccountID: acc.ID})
	if err != nil || len(added) != 1 {
		e.t.Fatal(err)
	}
	l, err := e.db.QueueLike(e.ctx, added[0].ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return l.VariantID
}

func TestLikeExactlyOnce(t *testing.T) {
	for _, network := range []backend.Network{backend.Mastodon, backend.Bluesky} {
		t.Run(string(network), func(t *testing.T) {
			e := newEnv(t)
			fake := newLikeFake()
			hs := httptest.NewServer(fake)
			t.Cleanup(hs.Close)
			acc := &backend.Account{ClientID: e.client.ID, Network: network, Handle: "sol", RemoteID: "1", ServiceURL: hs.URL}
			if err := e.db.CreateAccount(e.ctx, acc); err != nil {
				t.Fatal(err)
			}
			subject := backend.RemoteRef{ID: "77"}
			if network == backend.Bluesky {
				subject = backend.RemoteRef{ID: "3kx", URI: "at://did:plc:ana/app.bsky.feed.post/3kx", CID: "bafypost"}
			}
			pub := likeRoute{net: network, base: hs.URL, hc: hs.Client(), clock: e.clock}
			o := e.outbox(map[backend.Network]backend.Publisher{network: pub}, Options{PublishTimeout: 5 * time.Second, Grace: 24 * time.Hour})

			// Offline: queued, nothing goes; the item shows it pending.
			fake.mu.Lock()
			fake.down = true
			fake.mu.Unlock()
			id := likeItem(e, *acc, subject)
			e.runOnce(o)
			v := e.wantState(id, backend.OutboxPending)
			if v.Attempts != 1 || v.RecordKey == "" {
				t.Fatalf("offline attempt: %+v", v)
			}
			key := v.RecordKey

			// Back online, the first answer is lost: the like was made, the
			// outcome is unknown; the retry sends the same key again.
			fake.mu.Lock()
			fake.down, fake.drop = false, true
			fake.mu.Unlock()
			e.clock.Advance(time.Hour)
			e.runOnce(o)
			v = e.wantState(id, backend.OutboxPending)
			if v.UncertainSince == nil || v.RecordKey != key {
				t.Fatalf("after the lost answer: %+v", v)
			}
			e.clock.Advance(time.Hour)
			e.runOnce(o)
			v = e.wantState(id, backend.OutboxPublished)
			if v.UncertainSince != nil {
				t.Fatalf("published but uncertain: %+v", v)
			}
			// Liking again answers the same like; later passes send nothing.
			it, _ := e.db.InboxList(e.ctx, backend.InboxFilter{})
			if len(it) != 1 || it[0].Liked != backend.OutboxPublished {
				t.Fatalf("item: %+v", it)
			}
			if l, err := e.db.QueueLike(e.ctx, it[0].ID); err != nil || l.VariantID != id {
				t.Fatalf("like again: %v %+v", err, l)
			}
			fake.mu.Lock()
			before := fake.requests
			fake.mu.Unlock()
			e.clock.Advance(time.Hour)
			e.runOnce(o)

			fake.mu.Lock()
			defer fake.mu.Unlock()
			if fake.requests != before {
				t.Fatalf("sent again after publishing: %d requests, %d before", fake.requests, before)
			}
			if network == backend.Mastodon {
				if fake.favs["77"] != 1 || len(fake.favs) != 1 {
					t.Fatalf("favourites: %v", fake.favs)
				}
			} else {
				if fake.likesOf[subject.URI] != 1 || len(fake.records) != 1 {
					t.Fatalf("like records: %v %v", fake.likesOf, fake.records)
				}
				for _, k := range fake.lastRkeys {
					if k != key {
						t.Fatalf("record keys sent: %v, stored %s", fake.lastRkeys, key)
					}
				}
				if len(fake.lastRkeys) != 2 {
					t.Fatalf("putRecord calls: %v", fake.lastRkeys)
				}
			}
		})
	}
}

// A like whose app stopped mid-call is sent again on the next start,
// never looked up as a post, and still counts once.
func TestLikeInterruptedIsSentAgainOnce(t *testing.T) {
	e := newEnv(t)
	fake := newLikeFake()
	hs := httptest.NewServer(fake)
	t.Cleanup(hs.Close)
	acc := &backend.Account{ClientID: e.client.ID, Network: backend.Bluesky, Handle: "sol", ServiceURL: hs.URL}
	if err := e.db.CreateAccount(e.ctx, acc); err != nil {
		t.Fatal(err)
	}
	subject := backend.RemoteRef{ID: "3kx", URI: "at://did:plc:ana/app.bsky.feed.post/3kx", CID: "bafypost"}
	pub := likeRoute{net: backend.Bluesky, base: hs.URL, hc: hs.Client(), clock: e.clock}
	id := likeItem(e, *acc, subject)
	// Claimed (sending committed) when the app stops.
	if err := e.db.OutboxUpdate(e.ctx, id, func(v *backend.VariantPublish, _ *backend.AccountOutbox) error {
		at := t0
		v.State, v.SendingSince, v.RecordKey, v.RemoteCreatedAt, v.Attempts = backend.OutboxSending, &at, NewRecordKey(t0), &at, 1
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// The earlier process did write the record.
	key := e.job(id).Publish.RecordKey
	rec, _ := json.Marshal(bluesky.LikeRecord{Type: bluesky.LikeCollection, Subject: bluesky.StrongRef{URI: subject.URI, CID: subject.CID}, CreatedAt: t0.UTC().Format("2006-01-02T15:04:05.000Z")})
	fake.records[bluesky.LikeCollection+"/"+key] = rec
	fake.likesOf[subject.URI] = 1

	o := e.outbox(map[backend.Network]backend.Publisher{backend.Bluesky: pub}, Options{PublishTimeout: 5 * time.Second, Grace: 24 * time.Hour})
	e.runOnce(o)
	e.runOnce(o)
	e.wantState(id, backend.OutboxPublished)
	if fake.likesOf[subject.URI] != 1 || len(fake.records) != 1 {
		t.Fatalf("like records: %v", fake.likesOf)
	}
}
