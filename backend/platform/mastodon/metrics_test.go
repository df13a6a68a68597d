package mastodon_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"pauta/backend"
)

func refs(ids ...string) []backend.RemoteRef {
	out := make([]backend.RemoteRef, len(ids))
	for i, id := range ids {
		out[i] = backend.RemoteRef{ID: id}
	}
	return out
}

// countsJSON is a status as Mastodon shows it, with the counts we read.
func countsJSON(id string) string {
	var n int
	fmt.Sscan(id, &n)
	return fmt.Sprintf(`{"id":%q,"content":"<p>x</p>","replies_count":%d,"reblogs_count":%d,"favourites_count":%d,"quotes_count":%d,"url":"https://x/@a/%s"}`,
		id, n%7, n%5, n, n%3, id)
}

// batchInstance answers GET /api/v1/statuses?id[]= like Mastodon 4.3+:
// the statuses it still has, in any order, at most 20.
func batchInstance(gone map[string]bool, hdr http.Header) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ids := r.URL.Query()["id[]"]
		var parts []string
		for i := len(ids) - 1; i >= 0; i-- { // reversed: order is not promised
			if !gone[ids[i]] {
				parts = append(parts, countsJSON(ids[i]))
			}
		}
		for k, v := range hdr {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, "["+strings.Join(parts, ",")+"]")
	}
}

func TestPostMetrics(t *testing.T) {
	var ids []string
	for i := 1; i <= 45; i++ {
		ids = append(ids, fmt.Sprint(1000+i))
	}
	reset := now.Add(90 * time.Second).Format(time.RFC3339)
	cases := []struct {
		name     string
		handlers map[string]http.HandlerFunc
		refs     []backend.RemoteRef
		calls    map[string]int // path → requests
		deleted  []int          // indexes answered Deleted
		code     string         // error code wanted ("" = none)
		got      int            // entries wanted back
		wait     time.Duration
	}{
		{name: "batches of 20 in order, deleted missing",
			handlers: map[string]http.HandlerFunc{"GET /api/v1/statuses": batchInstance(map[string]bool{"1003": true, "1044": true}, nil)},
			refs:     refs(ids...), calls: map[string]int{"/api/v1/statuses": 3}, deleted: []int{2, 43}, got: 45},
		{name: "no batch endpoint: per status, 404 deleted",
			handlers: map[string]http.HandlerFunc{
				"GET /api/v1/statuses/1001": jsonAnswer(200, countsJSON("1001")),
				"GET /api/v1/statuses/1002": jsonAnswer(404, `{"error":"Record not found"}`),
				"GET /api/v1/statuses/1003": jsonAnswer(200, countsJSON("1003")),
			},
			refs: refs("1001", "1002", "1003"), calls: map[string]int{"/api/v1/statuses": 1, "/api/v1/statuses/1002": 1}, deleted: []int{1}, got: 3},
		{name: "429 with X-RateLimit-Reset",
			handlers: map[string]http.HandlerFunc{"GET /api/v1/statuses": func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-RateLimit-Reset", reset)
				jsonAnswer(429, `{"error":"Too many requests"}`)(w, r)
			}},
			refs: refs(ids[:5]...), calls: map[string]int{"/api/v1/statuses": 1}, code: backend.ERateLimited, wait: 90 * time.Second},
		{name: "window nearly spent: stops after the first batch, keeps it",
			handlers: map[string]http.HandlerFunc{"GET /api/v1/statuses": batchInstance(nil, http.Header{
				"X-Ratelimit-Remaining": {"12"}, "X-Ratelimit-Limit": {"300"}, "X-Ratelimit-Reset": {reset}})},
			refs: refs(ids...), calls: map[string]int{"/api/v1/statuses": 1}, code: backend.ERateLimited, got: 20, wait: 90 * time.Second},
		{name: "server down is transient",
			handlers: map[string]http.HandlerFunc{"GET /api/v1/statuses": jsonAnswer(503, `{}`)},
			refs:     refs("1"), calls: map[string]int{"/api/v1/statuses": 1}, code: backend.ETransient},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, tc.handlers)
			got, err := f.client(t).PostMetrics(t.Context(), backend.Account{}, tc.refs)
			if tc.code != "" {
				e := wantErr(t, err, tc.code, "")
				if tc.wait != 0 && e.RetryAfter != tc.wait {
					t.Fatalf("retry after %v, want %v", e.RetryAfter, tc.wait)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.got {
				t.Fatalf("%d entries, want %d", len(got), tc.got)
			}
			del := map[int]bool{}
			for _, i := range tc.deleted {
				del[i] = true
			}
			for i, m := range got {
				if m.Ref.ID != tc.refs[i].ID {
					t.Fatalf("entry %d is %s, want %s", i, m.Ref.ID, tc.refs[i].ID)
				}
				var n int
				fmt.Sscan(m.Ref.ID, &n)
				if m.Deleted != del[i] {
					t.Fatalf("entry %d deleted=%v", i, m.Deleted)
				}
				if !m.Deleted && (m.Likes != n || m.Replies != n%7 || m.Reposts != n%5 || m.Quotes != n%3) {
					t.Fatalf("entry %d figures %+v", i, m)
				}
			}
			for path, n := range tc.calls {
				reqs := f.requests("GET", path)
				if len(reqs) != n {
					t.Fatalf("%s asked %d times, want %d", path, len(reqs), n)
				}
				if path == "/api/v1/statuses" && n > 0 && tc.code == "" && len(tc.refs) > 20 {
					q, _ := url.ParseQuery(reqs[0].Query)
					if len(q["id[]"]) != 20 || reqs[0].Header.Get("Authorization") != "Bearer "+token {
						t.Fatalf("first batch %v", reqs[0])
					}
				}
			}
		})
	}
}

func TestFollowers(t *testing.T) {
	f := newFake(t, map[string]http.HandlerFunc{"GET /api/v1/accounts/verify_credentials": jsonAnswer(200, `{"id":"1","username":"sol","followers_count":1234}`)})
	n, err := f.client(t).Followers(t.Context(), backend.Account{})
	if err != nil || n != 1234 {
		t.Fatalf("%d %v", n, err)
	}
	f = newFake(t, map[string]http.HandlerFunc{"GET /api/v1/accounts/verify_credentials": jsonAnswer(401, `{"error":"The access token is invalid"}`)})
	_, err = f.client(t).Followers(t.Context(), backend.Account{})
	wantErr(t, err, backend.EAuth, "mastodon.token_invalid")
	f = newFake(t, map[string]http.HandlerFunc{"GET /api/v1/accounts/verify_credentials": jsonAnswer(200, `{"id":"1"}`)})
	_, err = f.client(t).Followers(t.Context(), backend.Account{})
	wantErr(t, err, backend.ETransient, "")
}
