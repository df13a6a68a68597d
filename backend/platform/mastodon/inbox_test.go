package mastodon_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/platform/mastodon"
)

// instance is a Mastodon server for the inbox: notifications served newest
// first with max_id / since_id / limit and Link rel="next" as documented
// (the next link carries max_id, not since_id), notification requests,
// statuses with their context, and the markers endpoint.
type instance struct {
	mu        sync.Mutex
	notifs    []map[string]any // newest first
	strangers []string         // account ids among notification requests
	remaining int              // X-RateLimit-Remaining to answer (-1: no header)
	limited   int              // answer 429 to the next n notification pages
	limitFrom int              // answer 429 from this page on (0: never)
	forbidden bool             // the token lacks read:notifications
	pages     int
	markers   []string
	srv       *httptest.Server
}

func newInstance(t *testing.T) *instance {
	in := &instance{remaining: -1}
	in.srv = httptest.NewServer(http.HandlerFunc(in.serve))
	t.Cleanup(in.srv.Close)
	return in
}

// add puts n notifications with ids from..from+n-1 on the server (newer ids later).
func (in *instance) add(from, n int, typ string) {
	in.mu.Lock()
	defer in.mu.Unlock()
	for i := from; i < from+n; i++ {
		id := strconv.Itoa(i)
		m := map[string]any{"id": id, "type": typ, "created_at": now.Add(time.Duration(i) * time.Second).Format(time.RFC3339),
			"account": map[string]any{"id": "acc" + id, "acct": "fan" + id, "display_name": "Fan " + id, "avatar": "https://cdn.example/a.png", "url": "https://social.example/@fan" + id}}
		if typ != "follow" {
			m["status"] = map[string]any{"id": "st" + id, "uri": "https://social.example/s/" + id, "url": "https://social.example/@fan/" + id,
				"created_at": now.Format(time.RFC3339), "visibility": "public", "language": "es",
				"content":        `<p>Hola <span class="h-card"><a href="https://social.example/@acme" class="u-url mention">@<span>acme</span></a></span> mira <a href="https://shop.example/a?b=1&amp;c=2" rel="nofollow">shop.example/a</a> <a href="https://social.example/tags/x" class="mention hashtag">#<span>x</span></a></p><p>ok &lt;3</p>`,
				"account":        map[string]any{"id": "acc" + id, "acct": "fan" + id},
				"in_reply_to_id": nil, "in_reply_to_account_id": nil}
		}
		in.notifs = append([]map[string]any{m}, in.notifs...)
	}
}

func laterThan(a, b string) bool {
	x, _ := strconv.Atoi(a)
	y, _ := strconv.Atoi(b)
	return x > y
}

func (in *instance) serve(w http.ResponseWriter, r *http.Request) {
	in.mu.Lock()
	defer in.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if r.Header.Get("Authorization") != "Bearer "+token {
		w.WriteHeader(401)
		fmt.Fprint(w, `{"error":"The access token is invalid"}`)
		return
	}
	q := r.URL.Query()
	switch {
	case r.URL.Path == "/api/v1/accounts/verify_credentials":
		fmt.Fprint(w, `{"id":"me","username":"acme","acct":"acme"}`)
	case r.URL.Path == "/api/v1/notifications":
		in.pages++
		if in.forbidden {
			w.WriteHeader(403)
			fmt.Fprint(w, `{"error":"This action is outside the authorized scopes"}`)
			return
		}
		if in.limited > 0 || (in.limitFrom > 0 && in.pages >= in.limitFrom) {
			in.limited--
			w.Header().Set("Retry-After", "90")
			w.WriteHeader(429)
			fmt.Fprint(w, `{"error":"Too many requests"}`)
			return
		}
		types := map[string]bool{}
		for _, t := range q["types[]"] {
			types[t] = true
		}
		limit, _ := strconv.Atoi(q.Get("limit"))
		var page []map[string]any
		for _, n := range in.notifs {
			id := n["id"].(string)
			if (q.Get("max_id") != "" && !laterThan(q.Get("max_id"), id)) || (q.Get("since_id") != "" && !laterThan(id, q.Get("since_id"))) {
				continue
			}
			if len(types) > 0 && !types[n["type"].(string)] {
				continue
			}
			if len(page) == limit {
				break
			}
			page = append(page, n)
		}
		if len(page) == limit {
			last := page[len(page)-1]["id"].(string)
			w.Header().Set("Link", fmt.Sprintf(`<%s/api/v1/notifications?limit=%d&max_id=%s>; rel="next", <%s/api/v1/notifications?min_id=%s>; rel="prev"`,
				in.srv.URL, limit, last, in.srv.URL, page[0]["id"]))
		}
		if in.remaining >= 0 {
			w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(in.remaining))
			w.Header().Set("X-RateLimit-Reset", now.Add(2*time.Minute).Format(time.RFC3339))
		}
		if page == nil {
			page = []map[string]any{}
		}
		json.NewEncoder(w).Encode(page)
	case r.URL.Path == "/api/v1/notifications/requests":
		var out []map[string]any
		for _, id := range in.strangers {
			out = append(out, map[string]any{"id": "req" + id, "account": map[string]any{"id": id}, "notifications_count": "1"})
		}
		json.NewEncoder(w).Encode(out)
	case r.URL.Path == "/api/v1/markers" && r.Method == http.MethodPost:
		r.ParseForm()
		in.markers = append(in.markers, r.PostForm.Get("notifications[last_read_id]"))
		fmt.Fprint(w, `{}`)
	case strings.HasPrefix(r.URL.Path, "/api/v1/timelines/tag/"), r.URL.Path == "/api/v2/search":
		st := func(id, acct, vis string) string {
			return fmt.Sprintf(`{"id":%q,"content":"<p>#cafe en %s</p>","visibility":%q,"account":{"id":%q,"acct":%q},"created_at":"2026-03-01T09:00:00Z"}`, id, r.URL.Path, vis, acct, acct)
		}
		all := []string{st("903", "ana", "public"), st("902", "me", "public"), st("901", "bob", "direct"), st("900", "cy", "public")}
		var keep []string
		for i, s := range all {
			if q.Get("min_id") == "" || laterThan(strconv.Itoa(903-i), q.Get("min_id")) {
				keep = append(keep, s)
			}
		}
		body := "[" + strings.Join(keep, ",") + "]"
		if r.URL.Path == "/api/v2/search" {
			if q.Get("type") != "statuses" || q.Get("q") != "café" {
				w.WriteHeader(400)
				return
			}
			body = `{"accounts":[],"hashtags":[],"statuses":` + body + `}`
		} else if r.URL.Path != "/api/v1/timelines/tag/cafe" {
			w.WriteHeader(404)
			return
		}
		fmt.Fprint(w, body)
	case r.URL.Path == "/api/v1/statuses/gone", r.URL.Path == "/api/v1/statuses/gone/context":
		w.WriteHeader(404)
		fmt.Fprint(w, `{"error":"Record not found"}`)
	case strings.HasSuffix(r.URL.Path, "/context"):
		fmt.Fprint(w, `{"ancestors":[{"id":"1","content":"<p>root <b>post</b></p>","account":{"id":"me","acct":"acme"},"in_reply_to_id":null}],
			"descendants":[{"id":"3","content":"<p>after</p>","account":{"id":"x","acct":"x@else.example"},"in_reply_to_id":"2"}]}`)
	case strings.HasPrefix(r.URL.Path, "/api/v1/statuses/"):
		fmt.Fprint(w, `{"id":"2","content":"<p>the reply</p>","account":{"id":"y","acct":"y"},"in_reply_to_id":"1"}`)
	default:
		w.WriteHeader(404)
		fmt.Fprint(w, `{"error":"Record not found"}`)
	}
}

func (in *instance) client(t *testing.T) *mastodon.Client {
	c, err := mastodon.New(in.srv.URL, token, in.srv.Client(), backend.FixedClock{T: now})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var inboxAcct = backend.Account{ID: 1, Network: backend.Mastodon, RemoteID: "me"}

func TestNotificationsPagesDownToTheMark(t *testing.T) {
	ctx := context.Background()
	in := newInstance(t)
	in.add(100, 95, "mention") // ids 100..194
	c := in.client(t)
	for _, tc := range []struct {
		name                string
		q                   backend.NotificationQuery
		items               int
		mark, older         string
		gap                 bool
		first, last, stride string
	}{
		{"first sync, capped", backend.NotificationQuery{Limit: 50}, 50, "194", "145", false, "194", "145", ""},
		{"first sync, everything", backend.NotificationQuery{Limit: 500}, 95, "194", "", false, "194", "100", ""},
		{"since a mark, three pages", backend.NotificationQuery{Since: "110", Limit: 500}, 84, "194", "", false, "194", "111", ""},
		{"since a mark, cap hit: gap", backend.NotificationQuery{Since: "110", Limit: 60}, 60, "194", "135", true, "194", "135", ""},
		{"nothing new", backend.NotificationQuery{Since: "194", Limit: 60}, 0, "", "", false, "", "", ""},
		{"load older", backend.NotificationQuery{Before: "135", Since: "110", Limit: 60}, 24, "", "", false, "134", "111", ""},
		{"load older, capped", backend.NotificationQuery{Before: "135", Limit: 10}, 10, "", "125", false, "134", "125", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := c.Notifications(ctx, inboxAcct, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Items) != tc.items || b.Mark != tc.mark || b.Older != tc.older || b.Gap != tc.gap {
				t.Fatalf("got %d items mark %q older %q gap %v", len(b.Items), b.Mark, b.Older, b.Gap)
			}
			if tc.items > 0 && (b.Items[0].RemoteID != tc.first || b.Items[len(b.Items)-1].RemoteID != tc.last) {
				t.Fatalf("range %s..%s", b.Items[0].RemoteID, b.Items[len(b.Items)-1].RemoteID)
			}
		})
	}
}

func TestNotificationKindsTextAndFiltered(t *testing.T) {
	ctx := context.Background()
	in := newInstance(t)
	in.add(1, 1, "mention")
	in.add(2, 1, "favourite")
	in.add(3, 1, "reblog")
	in.add(4, 1, "follow")
	in.add(5, 1, "mention")
	in.add(6, 1, "mention")
	in.add(7, 1, "quote")
	in.add(8, 1, "mention")
	in.add(9, 1, "admin.sign_up") // never asked for; skipped if sent
	in.mu.Lock()
	byID := map[string]map[string]any{}
	for _, n := range in.notifs {
		byID[n["id"].(string)] = n
	}
	st := func(id string) map[string]any { return byID[id]["status"].(map[string]any) }
	st("5")["in_reply_to_id"], st("5")["in_reply_to_account_id"] = "p9", "me"
	st("6")["visibility"] = "direct"
	st("7")["quote"] = map[string]any{"state": "accepted", "quoted_status": map[string]any{"id": "p7", "url": "https://social.example/@acme/p7"}}
	byID["8"]["status"] = nil // deleted
	st("1")["content"] = "<p>bad \xff utf8 <a href=\"javascript:alert(1)\">x</a>\u0007</p>"
	st("1")["spoiler_text"] = "CW"
	in.strangers = []string{"acc2", "acc6"}
	in.mu.Unlock()

	b, err := in.client(t).Notifications(ctx, inboxAcct, backend.NotificationQuery{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]backend.Notification{}
	for _, n := range b.Items {
		got[n.RemoteID] = n
	}
	want := map[string]backend.InboxKind{"1": backend.KindMention, "2": backend.KindLike, "3": backend.KindBoost, "4": backend.KindFollow,
		"5": backend.KindReply, "6": backend.KindDirect, "7": backend.KindQuote, "8": backend.KindMention}
	if len(got) != len(want) {
		t.Fatalf("got %d items: %+v", len(got), got)
	}
	for id, k := range want {
		if got[id].Kind != k {
			t.Errorf("%s: kind %s, want %s", id, got[id].Kind, k)
		}
	}
	if a := got["5"].About; a == nil || a.ID != "p9" {
		t.Errorf("reply about: %+v", a)
	}
	if a := got["7"].About; a == nil || a.ID != "p7" {
		t.Errorf("quote about: %+v", a)
	}
	if a := got["2"].About; a == nil || a.ID != "st2" || got["2"].Subject != nil {
		t.Errorf("like: %+v", got["2"])
	}
	if got["8"].Subject != nil {
		t.Errorf("deleted status: %+v", got["8"].Subject)
	}
	if !got["2"].Filtered || !got["6"].Filtered || got["1"].Filtered {
		t.Errorf("filtered flags wrong")
	}
	m := got["3"].Author
	if m.Handle != "fan3@"+strings.TrimPrefix(in.srv.URL, "http://") || m.Name != "Fan 3" || m.URL != "https://social.example/@fan3" {
		t.Errorf("author: %+v", m)
	}
	s := got["5"].Subject
	if s.Text != "Hola @acme mira shop.example/a #x\nok <3" || len(s.Links) != 1 || s.Links[0] != "https://shop.example/a?b=1&c=2" || s.Language != "es" {
		t.Errorf("text and links: %q %v", s.Text, s.Links)
	}
	if s := got["1"].Subject; s.Text != "CW\n\nbad \uFFFD utf8 x" || len(s.Links) != 0 {
		t.Errorf("invalid utf-8, control chars, javascript link: %q %v", s.Text, s.Links)
	}
}

func TestNotificationsRateLimitAndScope(t *testing.T) {
	ctx := context.Background()
	in := newInstance(t)
	in.add(1, 100, "mention")
	c := in.client(t)

	// Few requests left: stop after the first page and say how long to wait.
	in.remaining = 3
	b, err := c.Notifications(ctx, inboxAcct, backend.NotificationQuery{Since: "10", Limit: 400})
	if err != nil || len(b.Items) != 40 || !b.Gap || b.Older != "61" || b.Wait != 2*time.Minute || in.pages != 1 {
		t.Fatalf("low remaining: %v %d gap %v older %s wait %s pages %d", err, len(b.Items), b.Gap, b.Older, b.Wait, in.pages)
	}
	in.remaining = -1

	// 429 on the first page: ERateLimited with Retry-After.
	in.limited = 1
	_, err = c.Notifications(ctx, inboxAcct, backend.NotificationQuery{})
	if e := backend.AsError(err); e.Code != backend.ERateLimited || e.RetryAfter != 90*time.Second {
		t.Fatalf("429: %+v", e)
	}
	// 429 on a later page: what was read is kept, the rest is a gap.
	in.pages, in.limitFrom = 0, 2
	b, err = c.Notifications(ctx, inboxAcct, backend.NotificationQuery{Since: "10", Limit: 400})
	if err != nil || len(b.Items) != 40 || !b.Gap || b.Older != "61" || b.Wait != 90*time.Second || b.Mark != "100" {
		t.Fatalf("429 later: %v %d gap %v older %s wait %s", err, len(b.Items), b.Gap, b.Older, b.Wait)
	}
	in.limitFrom = 0
	// A token without read:notifications says which scope is missing.
	in.forbidden = true
	_, err = c.Notifications(ctx, inboxAcct, backend.NotificationQuery{})
	if e := backend.AsError(err); e.Code != backend.EAuth || e.Key != "inbox.scope_missing" || e.Params["scope"] != "read:notifications" {
		t.Fatalf("scope: %+v", e)
	}
	in.forbidden = false
	// A revoked token is EAuth too.
	c.Token = "revoked"
	if _, err := c.Notifications(ctx, inboxAcct, backend.NotificationQuery{}); backend.ErrorCode(err) != backend.EAuth {
		t.Fatalf("revoked: %v", err)
	}
}

func TestThreadAndMarkers(t *testing.T) {
	ctx := context.Background()
	in := newInstance(t)
	c := in.client(t)
	th, err := c.Thread(ctx, inboxAcct, backend.RemoteRef{ID: "2"})
	if err != nil || len(th) != 3 || th[0].Text != "root post" || th[1].Text != "the reply" || th[2].Author.Handle != "x@else.example" {
		t.Fatalf("thread: %v %+v", err, th)
	}
	if th[1].Root == nil || th[1].Root.ID != "1" || th[1].ReplyTo.ID != "1" {
		t.Fatalf("root/parent: %+v", th[1])
	}
	th, err = c.Thread(ctx, inboxAcct, backend.RemoteRef{ID: "gone"})
	if err != nil || len(th) != 1 || !th[0].Deleted {
		t.Fatalf("deleted: %v %+v", err, th)
	}
	if err := c.MarkRead(ctx, inboxAcct, "194"); err != nil || len(in.markers) != 1 || in.markers[0] != "194" {
		t.Fatalf("markers: %v %v", err, in.markers)
	}
}

func TestListenHashtagsAndKeywords(t *testing.T) {
	ctx := context.Background()
	in := newInstance(t)
	c := in.client(t)
	for _, term := range []string{"#cafe", "café"} {
		b, err := c.Listen(ctx, inboxAcct, term, "", 40)
		if err != nil {
			t.Fatal(term, err)
		}
		// Our own post and a direct one are not listening items.
		if len(b.Items) != 2 || b.Mark != "903" || b.Items[0].RemoteID != "listen:903" || b.Items[0].Kind != backend.KindListening ||
			b.Items[0].Subject == nil || !strings.HasPrefix(b.Items[0].Subject.Text, "#cafe en") {
			t.Fatalf("%s: %+v", term, b)
		}
		b, err = c.Listen(ctx, inboxAcct, term, "903", 40)
		if err != nil || len(b.Items) != 0 || b.Mark != "" {
			t.Fatalf("%s since the mark: %v %+v", term, err, b)
		}
	}
}
