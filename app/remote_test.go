package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// A post far ahead is handed to the (fake) instance through the real route
// (keychain token, Mastodon client): the calendar and the outbox show it as
// scheduled on the server; deleting the post and removing the account
// cancel their scheduled statuses.
func TestServerSideScheduleThroughServices(t *testing.T) {
	a, _, _ := connectApp(t)
	var mu sync.Mutex
	scheduled := map[string]string{} // id → text
	var deleted []string
	n := 0
	down := false // the instance answers 503 (unreachable)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		mu.Lock()
		defer mu.Unlock()
		switch {
		case down:
			w.WriteHeader(503)
			w.Write([]byte(`{"error":"unavailable"}`))
		case r.URL.Path == "/api/v2/instance":
			w.Write([]byte(`{"domain":"masto.test","title":"Masto","version":"4.3.0","configuration":{"statuses":{"max_characters":500}}}`))
		case r.URL.Path == "/api/v1/accounts/verify_credentials":
			w.Write([]byte(`{"id":"1","username":"brera","acct":"brera"}`))
		case r.URL.Path == "/api/v1/statuses" && r.FormValue("scheduled_at") != "":
			n++
			id := fmt.Sprint(n)
			scheduled[id] = r.FormValue("status")
			json.NewEncoder(w).Encode(map[string]any{"id": id, "scheduled_at": r.FormValue("scheduled_at"), "params": map[string]any{"text": r.FormValue("status")}})
		case r.URL.Path == "/api/v1/scheduled_statuses":
			list := []map[string]any{}
			for id, text := range scheduled {
				list = append(list, map[string]any{"id": id, "params": map[string]any{"text": text}})
			}
			json.NewEncoder(w).Encode(list)
		case strings.HasPrefix(r.URL.Path, "/api/v1/scheduled_statuses/") && r.Method == "DELETE":
			id := strings.TrimPrefix(r.URL.Path, "/api/v1/scheduled_statuses/")
			delete(scheduled, id)
			deleted = append(deleted, id)
			w.Write([]byte(`{}`))
		default:
			w.WriteHeader(404)
			w.Write([]byte(`{"error":"Record not found"}`))
		}
	}))
	defer srv.Close()
	c, _ := a.Clients.Save(ClientInput{Name: "Studio Brera", TimeZone: "Europe/Madrid", Language: "it"})
	acc, err := a.Connect.ConnectMastodon(MastodonInput{ClientID: c.ID, InstanceURL: srv.URL, Token: mastoToken})
	if err != nil {
		t.Fatal(err)
	}
	save := func(text, date string) PostView {
		res, err := a.Posts.Save(PostInput{ClientID: c.ID, Status: "scheduled", Text: text, Date: date, Time: "09:30",
			Variants: []VariantInput{{AccountID: acc.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		return res.Post
	}
	p1 := save("Domani in studio", "2026-11-25")
	p2 := save("Dopodomani", "2026-11-26")
	if err := a.outbox.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(scheduled) != 2 {
		t.Fatalf("scheduled on the instance: %v", scheduled)
	}
	mu.Unlock()
	got, err := a.Posts.Get(p1.ID)
	if err != nil || !got.ServerScheduled || got.ServerScheduledAt != "2026-11-25T08:30:00Z" {
		t.Fatalf("post view %+v %v", got, err)
	}
	list, err := a.Posts.List(PostQuery{From: "2026-11-23", To: "2026-11-29"})
	if err != nil || len(list) != 2 || !list[0].ServerScheduled || !list[1].ServerScheduled {
		t.Fatalf("calendar %+v %v", list, err)
	}
	items, err := a.Outbox.Items(OutboxQuery{})
	if err != nil || len(items) != 2 || !items[0].RemoteScheduled || items[0].RemoteScheduledAt == nil ||
		!items[0].RemoteScheduledAt.Equal(time.Date(2026, 11, 25, 8, 30, 0, 0, time.UTC)) {
		t.Fatalf("outbox %+v %v", items, err)
	}

	if err := a.Posts.Delete(p1.ID); err != nil {
		t.Fatal(err)
	}
	if err := a.outbox.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(scheduled) != 1 || len(deleted) != 1 {
		t.Fatalf("after deleting the post: scheduled %v, deleted %v", scheduled, deleted)
	}
	// Unreachable: the account stays, so its scheduled post is not left
	// on the instance with nothing in Pauta to show it.
	down = true
	mu.Unlock()
	wantKey(t, a.Clients.RemoveAccount(acc.ID), "account.remote_cancel_offline")
	if ws, err := a.Clients.Workspace(true); err != nil || len(ws.Accounts) != 1 {
		t.Fatalf("after a refused removal: %+v %v", ws.Accounts, err)
	}
	mu.Lock()
	down = false
	mu.Unlock()
	if err := a.Clients.RemoveAccount(acc.ID); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(scheduled) != 0 || len(deleted) != 2 {
		t.Fatalf("after removing the account: scheduled %v, deleted %v", scheduled, deleted)
	}
	if got, _ := a.Posts.Get(p2.ID); got.ServerScheduled {
		t.Fatalf("still shown as scheduled on the server: %+v", got)
	}
}
