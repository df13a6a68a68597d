package app

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"pauta/backend"
)

// The inbox through the app's wiring: the keychain token, the sync, the
// Mastodon client, the store; a reply goes out through the outbox with
// in_reply_to_id and an Idempotency-Key, exactly once, and an alert word
// raises a desktop notification.
func TestInboxThroughTheApp(t *testing.T) {
	dir := t.TempDir()
	a, _, _, no := uiApp(t, dir)
	var mu sync.Mutex
	type status struct{ text, replyTo, key string }
	var got []status
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		mu.Lock()
		defer mu.Unlock()
		switch r.URL.Path {
		case "/api/v2/instance":
			w.Write([]byte(`{"domain":"masto.test","title":"Masto","version":"4.3.0","configuration":{"statuses":{"max_characters":500}}}`))
		case "/api/v1/accounts/verify_credentials":
			w.Write([]byte(`{"id":"1","username":"brera","acct":"brera"}`))
		case "/api/v1/notifications":
			if r.URL.Query().Get("since_id") != "" {
				w.Write([]byte(`[]`))
				return
			}
			w.Write([]byte(`[
			{"id":"12","type":"mention","created_at":"2026-11-24T09:00:00Z","account":{"id":"7","acct":"ana@else.example","display_name":"Ana"},
			 "status":{"id":"300","content":"<p>¿Abrís el domingo?</p>","visibility":"public","in_reply_to_id":"200","in_reply_to_account_id":"1","account":{"id":"7","acct":"ana@else.example"}}},
			{"id":"11","type":"mention","created_at":"2026-11-24T08:00:00Z","account":{"id":"8","acct":"bob","display_name":"Bob"},
			 "status":{"id":"301","content":"<p>Esto es una ESTAFA</p>","visibility":"public","account":{"id":"8","acct":"bob"}}},
			{"id":"10","type":"favourite","created_at":"2026-11-24T07:00:00Z","account":{"id":"9","acct":"cy"},"status":{"id":"200","content":"<p>ours</p>","account":{"id":"1","acct":"brera"}}}
			]`))
		case "/api/v1/statuses":
			got = append(got, status{r.FormValue("status"), r.FormValue("in_reply_to_id"), r.Header.Get("Idempotency-Key")})
			id := fmt.Sprint(500 + len(got))
			fmt.Fprintf(w, `{"id":%q,"url":"https://masto.test/@brera/%s","content":"x"}`, id, id)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c, _ := a.Clients.Save(ClientInput{Name: "Studio Brera", TimeZone: "Europe/Madrid", Language: "es"})
	if _, err := a.Inbox.SaveClientSettings(backend.InboxClientSettings{ClientID: c.ID, AlertWords: []string{"estafa"}}); err != nil {
		t.Fatal(err)
	}
	acc, err := a.Connect.ConnectMastodon(MastodonInput{ClientID: c.ID, InstanceURL: srv.URL, Token: mastoToken})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.inboxSync.Pass(context.Background()); err != nil {
		t.Fatal(err)
	}
	page, err := a.Inbox.List(InboxQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 2 || page.Items[0].Notification.RemoteID != "11" || len(page.Items[0].Alert) != 1 {
		t.Fatalf("items, alert first: %+v", page.Items)
	}
	if len(page.Summaries) != 1 || page.Summaries[0].Kind != backend.KindLike || page.Unread[c.ID] != 3 {
		t.Fatalf("summaries and unread: %+v %v", page.Summaries, page.Unread)
	}
	if len(page.Syncs) != 1 || page.Syncs[0].AccountID != acc.ID || page.Syncs[0].Mark != "12" || page.Syncs[0].SyncedAt == nil {
		t.Fatalf("syncs: %+v", page.Syncs)
	}
	if len(no.notes) != 1 || !strings.Contains(no.notes[0].body, "Studio Brera") || !strings.Contains(no.notes[0].body, "estafa") {
		t.Fatalf("alert notification: %+v", no.notes)
	}
	// Filter by kind.
	if p, _ := a.Inbox.List(InboxQuery{Kinds: []string{"reply"}}); len(p.Items) != 1 || len(p.Summaries) != 0 {
		t.Fatalf("kind filter: %+v", p)
	}
	reply := page.Items[1]
	if reply.Notification.Kind != backend.KindReply {
		t.Fatalf("kind: %s", reply.Notification.Kind)
	}
	// A published post of ours is what the reply answers.
	res, err := a.Posts.Save(PostInput{ClientID: c.ID, Status: "scheduled", Text: "Nuevo horario", Date: "2026-11-24", Time: "10:00", Variants: []VariantInput{{AccountID: acc.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	full, err := a.store.GetPost(context.Background(), res.Post.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.store.OutboxUpdate(context.Background(), full.Variants[0].ID, func(v *backend.VariantPublish, _ *backend.AccountOutbox) error {
		v.State, v.Remote = backend.OutboxPublished, backend.RemoteRef{ID: "200", URL: "https://masto.test/@brera/200"}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	d, err := a.Inbox.Detail(reply.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.About == nil || d.About.PostID != res.Post.ID || d.About.Text != "Nuevo horario" || d.Mention != "@ana@else.example " {
		t.Fatalf("detail: %+v", d)
	}
	r, err := a.Inbox.Reply(reply.ID, d.Mention+"¡Sí, de 10 a 14!")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.outbox.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := a.outbox.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(got) != 1 || got[0].replyTo != "300" || got[0].key == "" || got[0].text != "@ana@else.example ¡Sí, de 10 a 14!" {
		t.Fatalf("sent: %+v", got)
	}
	mu.Unlock()
	d, _ = a.Inbox.Detail(reply.ID)
	if d.Item.State != backend.InboxDone || d.Item.FirstReplyAt == nil || len(d.Replies) != 1 || d.Replies[0].VariantID != r.VariantID || d.Replies[0].State != backend.OutboxPublished {
		t.Fatalf("after sending: %+v", d)
	}
	// The calendar never shows the reply.
	posts, err := a.Posts.List(PostQuery{ClientID: c.ID, From: "2026-11-01", To: "2026-12-01"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range posts {
		if p.Text == r.Text {
			t.Fatal("the reply shows in the calendar")
		}
	}
	// Mark all done, snooze needs a time, tags and pin.
	if n, err := a.Inbox.MarkAllDone(InboxQuery{ClientID: c.ID}); err != nil || n != 2 {
		t.Fatalf("mark all done: %d %v", n, err)
	}
	if err := a.Inbox.SetState([]int64{reply.ID}, backend.InboxSnoozed, ""); backend.AsError(err).Key != "inbox.snooze_time_required" {
		t.Fatalf("snooze: %v", err)
	}
	if err := a.Inbox.SetTags(reply.ID, []string{"question", " question "}); err != nil {
		t.Fatal(err)
	}
	if err := a.Inbox.SetPinned(reply.ID, true); err != nil {
		t.Fatal(err)
	}
	if p, _ := a.Inbox.List(InboxQuery{Tag: "question", Pinned: true}); len(p.Items) != 1 || len(p.Items[0].Tags) != 1 {
		t.Fatalf("tags: %+v", p.Items)
	}
}
