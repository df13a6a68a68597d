package bluesky_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/platform/bluesky"
)

// Answers below follow the app.bsky.notification.listNotifications,
// app.bsky.feed.getPostThread, app.bsky.notification.updateSeen,
// app.bsky.feed.getPosts and app.bsky.actor.getProfile lexicons, as the
// AppView sends them through the PDS.

var me = backend.Account{ID: 3, Network: backend.Bluesky, Handle: handle, RemoteID: did}

const fanDID = "did:plc:fan456"

func fanView() map[string]any {
	return map[string]any{"did": fanDID, "handle": "fan.test", "displayName": "Fan \x07Uno", "avatar": "https://cdn.example/avatar.jpg",
		"viewer": map[string]any{"muted": false}, "labels": []any{}}
}

func ourPost(rkey string) string { return "at://" + did + "/app.bsky.feed.post/" + rkey }
func fanPost(rkey string) string { return "at://" + fanDID + "/app.bsky.feed.post/" + rkey }

func notif(uri, reason, reasonSubject string, at time.Time, record map[string]any) map[string]any {
	n := map[string]any{"uri": uri, "cid": "bafyrei" + strings.ReplaceAll(uri[len(uri)-6:], "/", "x"), "author": fanView(), "reason": reason,
		"record": record, "isRead": false, "indexedAt": at.UTC().Format("2006-01-02T15:04:05.000Z"), "labels": []any{}}
	if reasonSubject != "" {
		n["reasonSubject"] = reasonSubject
	}
	return n
}

// authedJSON answers v after checking the session like the PDS does.
func (f *fakeNet) authedJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	f.mu.Lock()
	bearer := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	expired, valid := f.expired[bearer], bearer == f.access
	f.mu.Unlock()
	if expired {
		xrpcErr(w, 400, "ExpiredToken", "Token has expired")
		return false
	}
	if !valid {
		xrpcErr(w, 401, "AuthenticationRequired", "Invalid token")
		return false
	}
	if v != nil {
		ok(w, v)
	}
	return true
}

func TestNotificationsKinds(t *testing.T) {
	f := newFakeNet(t)
	c, _ := loggedIn(t, f)
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	longURL := "https://example.com/horario/verano-2026?x=1"
	text := "Hola @marca.test mirad example.com/horario... y https://b.example/x INVALIDBYTE"
	mentionRec := map[string]any{"$type": "app.bsky.feed.post", "text": text, "langs": []string{"es"}, "createdAt": "2026-03-01T08:59:59.500Z",
		"facets": []any{
			map[string]any{"index": map[string]int{"byteStart": 5, "byteEnd": 16}, "features": []any{map[string]string{"$type": "app.bsky.richtext.facet#mention", "did": did}}},
			map[string]any{"index": map[string]int{"byteStart": 23, "byteEnd": 45}, "features": []any{map[string]string{"$type": "app.bsky.richtext.facet#link", "uri": longURL}}},
			map[string]any{"index": map[string]int{"byteStart": 48, "byteEnd": 67}, "features": []any{map[string]string{"$type": "app.bsky.richtext.facet#link", "uri": "https://b.example/x"}}},
			map[string]any{"index": map[string]int{"byteStart": 62, "byteEnd": 900}, "features": []any{map[string]string{"$type": "app.bsky.richtext.facet#link", "uri": "https://bad.example/range"}}},
			map[string]any{"index": map[string]int{"byteStart": 1, "byteEnd": 3}, "features": []any{map[string]string{"$type": "app.bsky.richtext.facet#link", "uri": "javascript:alert(1)"}}},
		}}
	replyRec := map[string]any{"text": "¡Me encanta!", "createdAt": "2026-03-01T08:58:00Z",
		"reply": map[string]any{"root": map[string]string{"uri": ourPost("3root"), "cid": "bafyroot"}, "parent": map[string]string{"uri": ourPost("3parent"), "cid": "bafyparent"}}}
	quoteRec := map[string]any{"text": "Mirad", "createdAt": "2026-03-01T08:57:00Z",
		"embed": map[string]any{"$type": "app.bsky.embed.recordWithMedia", "record": map[string]any{"record": map[string]string{"uri": ourPost("3quoted"), "cid": "bafyquoted"}}, "media": map[string]any{}}}
	likeRec := map[string]any{"$type": "app.bsky.feed.like", "subject": map[string]string{"uri": ourPost("3liked"), "cid": "bafyliked"}, "createdAt": "2026-03-01T08:56:00Z"}
	repostRec := map[string]any{"$type": "app.bsky.feed.repost", "subject": map[string]string{"uri": ourPost("3liked"), "cid": "bafyliked"}, "createdAt": "2026-03-01T08:55:00Z"}
	followRec := map[string]any{"$type": "app.bsky.graph.follow", "subject": did, "createdAt": "2026-03-01T08:54:00Z"}
	page := []map[string]any{
		notif(fanPost("3mention"), "mention", "", at, mentionRec),
		notif(fanPost("3reply"), "reply", ourPost("3parent"), at.Add(-time.Minute), replyRec),
		notif(fanPost("3quote"), "quote", ourPost("3quoted"), at.Add(-2*time.Minute), quoteRec),
		notif("at://"+fanDID+"/app.bsky.feed.like/3like", "like", ourPost("3liked"), at.Add(-3*time.Minute), likeRec),
		notif("at://"+fanDID+"/app.bsky.feed.repost/3rp", "repost", ourPost("3liked"), at.Add(-4*time.Minute), repostRec),
		notif("at://"+fanDID+"/app.bsky.graph.follow/3fw", "follow", "", at.Add(-5*time.Minute), followRec),
		notif("at://"+fanDID+"/app.bsky.graph.starterpack/3sp", "starterpack-joined", "", at.Add(-6*time.Minute), map[string]any{}),
		notif(fanPost("3badtime"), "mention", "", at, mentionRec),
	}
	page[len(page)-1]["indexedAt"] = "yesterday"
	f.override["pds:app.bsky.notification.listNotifications"] = func(w http.ResponseWriter, r *http.Request) {
		if !f.authedJSON(w, r, nil) {
			return
		}
		// Invalid UTF-8 from the network, as raw bytes (Go's encoder would fix it).
		b, _ := json.Marshal(map[string]any{"notifications": page, "seenAt": "2026-02-01T00:00:00Z", "priority": false})
		w.Header().Set("Content-Type", "application/json")
		w.Write(bytes.ReplaceAll(b, []byte("INVALIDBYTE"), []byte("\xff\xfe")))
	}
	b, err := c.Notifications(context.Background(), me, backend.NotificationQuery{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	q := f.requests("pds:app.bsky.notification.listNotifications")[0].Query
	if q != "limit=50&reasons=mention&reasons=reply&reasons=quote&reasons=like&reasons=repost&reasons=follow" {
		t.Fatalf("query %s", q)
	}
	if kinds(b.Items) != "mention,reply,quote,like,boost,follow" || b.Mark != "2026-03-01T09:00:00Z|"+fanPost("3mention") || b.Older != "" || b.Gap {
		t.Fatalf("kinds %s mark %q older %q gap %v", kinds(b.Items), b.Mark, b.Older, b.Gap)
	}
	m := b.Items[0]
	wantAuthor := backend.RemoteAuthor{ID: fanDID, Handle: "fan.test", Name: "Fan Uno", AvatarURL: "https://cdn.example/avatar.jpg", URL: "https://bsky.app/profile/fan.test"}
	if m.Author != wantAuthor || !m.CreatedAt.Equal(at) || m.About != nil || m.RemoteID != fanPost("3mention") {
		t.Fatalf("mention %+v", m)
	}
	s := m.Subject
	wantText := "Hola @marca.test mirad " + longURL + " y https://b.example/x \uFFFD\uFFFD"
	if s == nil || s.Text != wantText || s.Language != "es" || s.CreatedAt != time.Date(2026, 3, 1, 8, 59, 59, 500e6, time.UTC) ||
		s.Ref.URI != fanPost("3mention") || s.Ref.ID != "3mention" || s.Ref.URL != "https://bsky.app/profile/fan.test/post/3mention" || s.ReplyTo != nil {
		t.Fatalf("mention subject %+v", s)
	}
	if strings.Join(s.Links, " ") != longURL+" https://b.example/x https://bad.example/range" {
		t.Fatalf("links %q", s.Links)
	}
	r := b.Items[1]
	if r.About == nil || *r.About != (backend.RemoteRef{ID: "3parent", URI: ourPost("3parent"), CID: "bafyparent", URL: "https://bsky.app/profile/" + handle + "/post/3parent"}) ||
		r.Subject == nil || r.Subject.Text != "¡Me encanta!" || r.Subject.ReplyTo.URI != ourPost("3parent") || r.Subject.Root.URI != ourPost("3root") || r.Subject.Root.CID != "bafyroot" {
		t.Fatalf("reply %+v subject %+v", r.About, r.Subject)
	}
	if qt := b.Items[2]; qt.About == nil || qt.About.URI != ourPost("3quoted") || qt.About.CID != "bafyquoted" || qt.Subject == nil || qt.Subject.Text != "Mirad" {
		t.Fatalf("quote %+v", qt)
	}
	for _, it := range b.Items[3:5] {
		if it.Subject != nil || it.About == nil || it.About.URI != ourPost("3liked") || it.About.CID != "bafyliked" {
			t.Fatalf("%s %+v", it.Kind, it)
		}
	}
	if fw := b.Items[5]; fw.Subject != nil || fw.About != nil || fw.RemoteID != "at://"+fanDID+"/app.bsky.graph.follow/3fw" {
		t.Fatalf("follow %+v", fw)
	}
}

// pagedServer answers listNotifications from items (newest first) in
// pages, with the offset as cursor.
type pagedServer struct {
	items []map[string]any
	calls []string // cursor of each call
}

func newPaged(n int) *pagedServer {
	p := &pagedServer{}
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		p.items = append(p.items, notif(fanPost(fmt.Sprintf("3n%04d", i)), "mention", "", at.Add(-time.Duration(i)*time.Second), map[string]any{"text": fmt.Sprint("n", i)}))
	}
	return p
}

func (p *pagedServer) install(f *fakeNet) {
	f.override["pds:app.bsky.notification.listNotifications"] = func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		p.calls = append(p.calls, q.Get("cursor"))
		off := 0
		if cur := q.Get("cursor"); cur != "" {
			var err error
			if off, err = strconv.Atoi(cur); err != nil {
				xrpcErr(w, 400, "InvalidRequest", "Malformed cursor")
				return
			}
		}
		limit, _ := strconv.Atoi(q.Get("limit"))
		if limit < 1 || limit > 100 {
			xrpcErr(w, 400, "InvalidRequest", "limit out of range")
			return
		}
		end := min(off+limit, len(p.items))
		ans := map[string]any{"notifications": p.items[off:end]}
		if end < len(p.items) {
			ans["cursor"] = strconv.Itoa(end)
		}
		f.authedJSON(w, r, ans)
	}
}

func markOf(i int) string {
	return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC).Add(-time.Duration(i)*time.Second).Format(time.RFC3339Nano) + "|" + fanPost(fmt.Sprintf("3n%04d", i))
}

func TestNotificationsPaging(t *testing.T) {
	for _, tc := range []struct {
		name         string
		total        int
		q            backend.NotificationQuery
		first, count int // first item index and how many
		mark, older  string
		gap          bool
		cursors      string
	}{
		{"first sync, all in one page", 30, backend.NotificationQuery{Limit: 100}, 0, 30, markOf(0), "", false, ""},
		{"first sync over several pages", 250, backend.NotificationQuery{Limit: 1000}, 0, 250, markOf(0), "", false, ",100,200"},
		{"first sync capped", 250, backend.NotificationQuery{Limit: 120}, 0, 120, markOf(0), "120", false, ",100"},
		{"no limit means one page", 250, backend.NotificationQuery{}, 0, 100, markOf(0), "100", false, ""},
		{"since, mid-page", 250, backend.NotificationQuery{Since: markOf(7), Limit: 500}, 0, 7, markOf(0), "", false, ""},
		{"since, past the first small page", 250, backend.NotificationQuery{Since: markOf(40), Limit: 500}, 0, 40, markOf(0), "", false, ",10"},
		{"since, tiny limit", 250, backend.NotificationQuery{Since: markOf(40), Limit: 3}, 0, 3, markOf(0), "3", true, ""},
		{"since, a week offline", 250, backend.NotificationQuery{Since: markOf(230), Limit: 1000}, 0, 230, markOf(0), "", false, ",10,110,210"},
		{"since, capped: gap", 250, backend.NotificationQuery{Since: markOf(230), Limit: 150}, 0, 150, markOf(0), "150", true, ",10,110"},
		{"load older down to since", 250, backend.NotificationQuery{Since: markOf(230), Before: "150", Limit: 150}, 150, 80, "", "", false, "150"},
		{"load older without since", 250, backend.NotificationQuery{Before: "200", Limit: 100}, 200, 50, "", "", false, "200"},
		{"nothing new", 250, backend.NotificationQuery{Since: markOf(0), Limit: 100}, 0, 0, "", "", false, ""},
		{"mark's item gone: stop at its time", 250, backend.NotificationQuery{Since: strings.Replace(markOf(5), "3n0005", "3gone", 1), Limit: 100}, 0, 6, markOf(0), "", false, ""}, // same-time items are kept: the store drops duplicates
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeNet(t)
			c, _ := loggedIn(t, f)
			p := newPaged(tc.total)
			p.install(f)
			b, err := c.Notifications(context.Background(), me, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Items) != tc.count {
				t.Fatalf("%d items, want %d", len(b.Items), tc.count)
			}
			for i, it := range b.Items {
				if want := fanPost(fmt.Sprintf("3n%04d", tc.first+i)); it.RemoteID != want {
					t.Fatalf("item %d is %s, want %s", i, it.RemoteID, want)
				}
			}
			if b.Mark != tc.mark || b.Older != tc.older || b.Gap != tc.gap || strings.Join(p.calls, ",") != tc.cursors {
				t.Fatalf("mark %q older %q gap %v cursors %q; want %q %q %v %q", b.Mark, b.Older, b.Gap, strings.Join(p.calls, ","), tc.mark, tc.older, tc.gap, tc.cursors)
			}
		})
	}
}

func TestNotificationsRefusedCursor(t *testing.T) {
	for _, tc := range []struct {
		name      string
		withCur   int // status for a call with a cursor
		without   int // status for a call without one
		before    string
		since     string
		code, key string
		calls     int
	}{
		{"400 on a cursor", 400, 200, "abc", "", backend.EInvalid, "bluesky.cursor_invalid", 1},
		{"500 on a cursor, fine without", 500, 200, "abc", "", backend.EInvalid, "bluesky.cursor_invalid", 2},
		{"500 either way: the server is down", 500, 500, "abc", "", backend.ETransient, "network.transient", 2},
		{"500 without a cursor", 200, 500, "", "", backend.ETransient, "network.transient", 1},
		{"a mark that is not ours", 200, 200, "", "garbage", backend.EInvalid, "bluesky.cursor_invalid", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeNet(t)
			c, _ := loggedIn(t, f)
			f.override["pds:app.bsky.notification.listNotifications"] = func(w http.ResponseWriter, r *http.Request) {
				st := tc.without
				if r.URL.Query().Get("cursor") != "" {
					st = tc.withCur
				}
				switch st {
				case 200:
					ok(w, map[string]any{"notifications": []any{}})
				case 400:
					xrpcErr(w, 400, "InvalidRequest", "Malformed cursor")
				default:
					xrpcErr(w, st, "InternalServerError", "Internal Server Error")
				}
			}
			_, err := c.Notifications(context.Background(), me, backend.NotificationQuery{Before: tc.before, Since: tc.since, Limit: 10})
			wantErr(t, err, tc.code, tc.key)
			if n := len(f.requests("pds:app.bsky.notification.listNotifications")); n != tc.calls {
				t.Fatalf("%d calls, want %d", n, tc.calls)
			}
		})
	}
}

func TestInboxSessionAndLimits(t *testing.T) {
	t.Run("expired access token: refreshed once, never a new login", func(t *testing.T) {
		f := newFakeNet(t)
		c, store := loggedIn(t, f)
		newPaged(3).install(f)
		f.mu.Lock()
		f.expired[access1] = true
		f.mu.Unlock()
		for i := 0; i < 3; i++ {
			if b, err := c.Notifications(context.Background(), me, backend.NotificationQuery{Limit: 10}); err != nil || len(b.Items) != 3 {
				t.Fatalf("poll %d: %d items, %v", i, len(b.Items), err)
			}
		}
		if len(f.requests("entryway:com.atproto.server.createSession")) != 1 || len(f.requests("entryway:com.atproto.server.refreshSession")) != 1 || store.last().AccessJWT != access2 {
			t.Fatal("the session was not reused and refreshed once")
		}
	})
	t.Run("revoked session", func(t *testing.T) {
		f := newFakeNet(t)
		c, _ := loggedIn(t, f)
		newPaged(3).install(f)
		f.mu.Lock()
		f.expired[access1] = true
		f.refresh = "revoked"
		f.mu.Unlock()
		_, err := c.Notifications(context.Background(), me, backend.NotificationQuery{Limit: 10})
		wantErr(t, err, backend.EAuth, "bluesky.session_expired")
	})
	t.Run("rate limited", func(t *testing.T) {
		f := newFakeNet(t)
		c, _ := loggedIn(t, f)
		f.override["pds:app.bsky.notification.listNotifications"] = func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("RateLimit-Reset", strconv.FormatInt(now.Add(90*time.Second).Unix(), 10))
			xrpcErr(w, 429, "RateLimitExceeded", "Rate Limit Exceeded")
		}
		_, err := c.Notifications(context.Background(), me, backend.NotificationQuery{Limit: 10})
		if e := wantErr(t, err, backend.ERateLimited, "network.rate_limited"); e.RetryAfter != 90*time.Second {
			t.Fatalf("retry after %s", e.RetryAfter)
		}
	})
	t.Run("another account's client", func(t *testing.T) {
		f := newFakeNet(t)
		c, _ := loggedIn(t, f)
		other := me
		other.RemoteID = "did:plc:someoneelse"
		_, err := c.Notifications(context.Background(), other, backend.NotificationQuery{})
		wantErr(t, err, backend.EInternal, "internal")
		_, err = c.Followers(context.Background(), other)
		wantErr(t, err, backend.EInternal, "internal")
		if len(f.requests("pds:app.bsky.notification.listNotifications")) != 0 {
			t.Fatal("asked the server anyway")
		}
	})
	t.Run("not connected", func(t *testing.T) {
		f := newFakeNet(t)
		_, err := newClient(t, f, &memStore{}).Notifications(context.Background(), me, backend.NotificationQuery{})
		wantErr(t, err, backend.EAuth, "bluesky.not_connected")
	})
	t.Run("an HTML error page", func(t *testing.T) {
		f := newFakeNet(t)
		c, _ := loggedIn(t, f)
		f.override["pds:app.bsky.notification.listNotifications"] = func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html>maintenance</html>"))
		}
		_, err := c.Notifications(context.Background(), me, backend.NotificationQuery{})
		wantErr(t, err, backend.ETransient, "bluesky.bad_answer")
	})
}

func TestMarkRead(t *testing.T) {
	f := newFakeNet(t)
	c, _ := loggedIn(t, f)
	var body []byte
	f.override["pds:app.bsky.notification.updateSeen"] = func(w http.ResponseWriter, r *http.Request) {
		reqs := f.requests("pds:app.bsky.notification.updateSeen")
		body = reqs[len(reqs)-1].Body
		f.authedJSON(w, r, nil)
	}
	if err := c.MarkRead(context.Background(), me, markOf(0)); err != nil {
		t.Fatal(err)
	}
	var in struct{ SeenAt string }
	json.Unmarshal(body, &in)
	if in.SeenAt != "2026-03-01T12:00:00.001Z" {
		t.Fatalf("seenAt %q: must be just after the newest item", in.SeenAt)
	}
	wantErr(t, c.MarkRead(context.Background(), me, "nonsense"), backend.EInvalid, "bluesky.cursor_invalid")
}

// BenchmarkPollNothingNew is one poll of an account with nothing new since
// its mark (the inbox's idle cost per account; client and fake server both
// count).
func BenchmarkPollNothingNew(b *testing.B) {
	f := newFakeNet(b)
	store := &memStore{}
	c, err := bluesky.New(f.entryway.URL, f.entryway.Client(), backend.FixedClock{T: now}, store)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := c.Login(context.Background(), handle, appPassword); err != nil {
		b.Fatal(err)
	}
	newPaged(250).install(f)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if got, err := c.Notifications(context.Background(), me, backend.NotificationQuery{Since: markOf(0), Limit: 1000}); err != nil || len(got.Items) != 0 {
			b.Fatal(len(got.Items), err)
		}
	}
}
