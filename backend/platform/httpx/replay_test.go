package httpx_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"pauta/backend/platform/httpx"
)

// A POST with an Idempotency-Key whose reused connection drops before the
// answer is not sent again by the transport: the error comes back.
func TestDoNeverReplaysAPost(t *testing.T) {
	var posts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && posts.Add(1) == 1 {
			panic(http.ErrAbortHandler) // the connection drops before the answer
		}
		w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	ctx := context.Background()
	if _, err := httpx.Do(ctx, srv.Client(), httpx.Request{Method: http.MethodGet, URL: srv.URL}); err != nil {
		t.Fatal(err) // opens the connection the POST reuses
	}
	_, err := httpx.Do(ctx, srv.Client(), httpx.Request{Method: http.MethodPost, URL: srv.URL, Body: []byte("status=x"),
		Header: http.Header{"Idempotency-Key": {"k"}, "Content-Type": {"application/x-www-form-urlencoded"}}})
	if err == nil || posts.Load() != 1 {
		t.Fatalf("err %v after %d POSTs: want the drop reported, no replay", err, posts.Load())
	}
}
