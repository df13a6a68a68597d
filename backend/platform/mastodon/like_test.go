package mastodon_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"pauta/backend"
	"pauta/backend/platform/mastodon"
)

// A like is POST /api/v1/statuses/:id/favourite; the instance answers a
// repeat with the same status, so a retry never makes a second favourite.
func TestFavourite(t *testing.T) {
	var mu sync.Mutex
	favs := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		id, ok := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, "/api/v1/statuses/"), "/favourite")
		if r.Method != http.MethodPost || !ok || r.Header.Get("Authorization") != "Bearer tok" {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"error":"Record not found"}`)
			return
		}
		if id == "404" {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"error":"Record not found"}`)
			return
		}
		mu.Lock()
		favs[id] = 1
		mu.Unlock()
		fmt.Fprintf(w, `{"id":%q,"uri":"https://x.example/s/%s","url":"https://x.example/@a/%s","favourited":true}`, id, id, id)
	}))
	defer srv.Close()
	c, err := mastodon.New(srv.URL, "tok", srv.Client(), backend.FixedClock{T: now})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	req := backend.PublishRequest{IdempotencyKey: "k", Like: &backend.RemoteRef{ID: "77"}}
	for i := 0; i < 2; i++ {
		ref, err := c.Publish(ctx, req)
		if err != nil || ref.ID != "77" || ref.URL != "https://x.example/@a/77" {
			t.Fatalf("like %d: %+v %v", i, ref, err)
		}
	}
	if len(favs) != 1 || favs["77"] != 1 {
		t.Fatalf("favourites %v", favs)
	}
	_, err = c.Publish(ctx, backend.PublishRequest{IdempotencyKey: "k", Like: &backend.RemoteRef{ID: "404"}})
	wantErr(t, err, backend.EInvalid, "network.rejected") // the status is gone: failed for good
	_, err = c.Publish(ctx, backend.PublishRequest{IdempotencyKey: "k", Like: &backend.RemoteRef{}})
	if wantErr(t, err, backend.EInvalid, "inbox.like_no_post"); !backend.IsNotSent(err) {
		t.Fatal("a like without a status id counts as sent")
	}
}
