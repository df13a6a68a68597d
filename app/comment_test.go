package app

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"pauta/backend"
)

// A post's first comment goes to a (fake) Mastodon instance as a reply
// through the app's wiring (keychain token, outbox, Mastodon client); a
// refused comment shows in the outbox view on its published post, and
// OutboxService.RetryComment sends it again without re-sending the post.
func TestFirstCommentThroughTheApp(t *testing.T) {
	a, _, _ := connectApp(t)
	var mu sync.Mutex
	type status struct{ text, replyTo, key string }
	var got []status
	refuse := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v2/instance":
			w.Write([]byte(`{"domain":"masto.test","title":"Masto","version":"4.3.0","configuration":{"statuses":{"max_characters":500}}}`))
		case "/api/v1/accounts/verify_credentials":
			w.Write([]byte(`{"id":"1","username":"brera","acct":"brera"}`))
		case "/api/v1/statuses":
			mu.Lock()
			defer mu.Unlock()
			reply := r.FormValue("in_reply_to_id")
			if reply != "" && refuse {
				refuse = false
				w.WriteHeader(http.StatusUnprocessableEntity)
				w.Write([]byte(`{"error":"Validation failed: Text is too long"}`))
				return
			}
			got = append(got, status{r.FormValue("status"), reply, r.Header.Get("Idempotency-Key")})
			id := fmt.Sprint(500 + len(got))
			fmt.Fprintf(w, `{"id":%q,"url":"https://masto.test/@brera/%s","content":"x"}`, id, id)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c, _ := a.Clients.Save(ClientInput{Name: "Studio Brera", TimeZone: "Europe/Madrid", Language: "it"})
	acc, err := a.Connect.ConnectMastodon(MastodonInput{ClientID: c.ID, InstanceURL: srv.URL, Token: mastoToken})
	if err != nil {
		t.Fatal(err)
	}
	res, err := a.Posts.Save(PostInput{ClientID: c.ID, Status: "scheduled", Text: "Ciao dal calendario", FirstComment: "Link in bio 👉",
		Date: "2026-11-24", Time: "11:00", Variants: []VariantInput{{AccountID: acc.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.outbox.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	items, err := a.Outbox.Items(OutboxQuery{})
	if err != nil || len(items) != 1 {
		t.Fatalf("default view %+v %v", items, err)
	}
	it := items[0]
	if it.State != backend.OutboxPublished || it.CommentState != backend.CommentFailed || it.CommentErrorKey != "network.rejected" ||
		it.FirstComment != "Link in bio 👉" || it.RemoteURL != "https://masto.test/@brera/501" {
		t.Fatalf("item %+v", it)
	}
	if p, _ := a.Posts.Get(res.Post.ID); p.Status != string(backend.StatusPublished) {
		t.Errorf("post %s", p.Status)
	}
	if err := a.Outbox.RetryComment(it.VariantID); err != nil {
		t.Fatal(err)
	}
	if err := a.outbox.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	sent := append([]status(nil), got...)
	mu.Unlock()
	if len(sent) != 2 || sent[0].text != "Ciao dal calendario" || sent[0].replyTo != "" || sent[1].text != "Link in bio 👉" ||
		sent[1].replyTo != "501" || sent[1].key == sent[0].key {
		t.Fatalf("sent %+v", sent)
	}
	if items, _ := a.Outbox.Items(OutboxQuery{}); len(items) != 0 {
		t.Errorf("still in the view: %+v", items)
	}
	items, _ = a.Outbox.Items(OutboxQuery{States: []string{"published"}})
	if len(items) != 1 || items[0].CommentState != backend.CommentPublished || items[0].CommentURL != "https://masto.test/@brera/502" {
		t.Errorf("published %+v", items)
	}
	wantKey(t, a.Outbox.SkipComment(it.VariantID), "outbox.comment_published")
}
