package app

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"pauta/backend"
	icsexport "pauta/backend/ics"
)

// A scheduled post to a (fake) Mastodon instance goes out through the real
// outbox, the keychain token and the real Mastodon client, exactly once.
func TestScheduledPostPublishesToMastodon(t *testing.T) {
	a, _, _ := connectApp(t)
	var mu sync.Mutex
	var statuses []string
	keys := map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v2/instance":
			w.Write([]byte(`{"domain":"masto.test","title":"Masto","version":"4.3.0","configuration":{"statuses":{"max_characters":500}}}`))
		case "/api/v1/accounts/verify_credentials":
			w.Write([]byte(`{"id":"1","username":"brera","acct":"brera"}`))
		case "/api/v1/statuses":
			if r.Header.Get("Authorization") != "Bearer "+mastoToken {
				w.WriteHeader(401)
				return
			}
			mu.Lock()
			key := r.Header.Get("Idempotency-Key")
			if !keys[key] {
				keys[key] = true
				statuses = append(statuses, r.FormValue("status")+"|"+r.FormValue("language"))
			}
			mu.Unlock()
			w.Write([]byte(`{"id":"555","url":"https://masto.test/@brera/555","content":"x"}`))
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
	// testNow is 11:00 in Madrid: due now.
	res, err := a.Posts.Save(PostInput{ClientID: c.ID, Status: "scheduled", Text: "Ciao dal calendario", Date: "2026-11-24", Time: "11:00",
		Variants: []VariantInput{{AccountID: acc.ID}}})
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
	got := append([]string(nil), statuses...)
	mu.Unlock()
	if len(got) != 1 || got[0] != "Ciao dal calendario|it" {
		t.Fatalf("statuses sent: %q", got)
	}
	p, _ := a.Posts.Get(res.Post.ID)
	if p.Status != string(backend.StatusPublished) {
		t.Errorf("post status %s", p.Status)
	}
	items, err := a.Outbox.Items(OutboxQuery{States: []string{"published"}})
	if err != nil || len(items) != 1 || items[0].RemoteURL != "https://masto.test/@brera/555" {
		t.Errorf("outbox items %+v %v", items, err)
	}
	// The calendar export carries the published link.
	var cal bytes.Buffer
	svc := icsexport.NewService(a.store, a.cfg.Clock)
	sel, _ := svc.Clients(context.Background(), nil)
	if _, err := svc.Write(context.Background(), &cal, sel, icsexport.Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cal.String(), "\r\nURL:https://masto.test/@brera/555\r\n") {
		t.Errorf("no URL in the export:\n%s", cal.String())
	}
	// A published post is history: the calendar cannot move it.
	_, err = a.Posts.Move(res.Post.ID, "2026-11-25", "10:00")
	wantKey(t, err, "post.published_locked")

	// The instance is in the online indicator until its account is removed.
	host := strings.TrimPrefix(srv.URL, "http://")
	if st := a.Outbox.Online(); !st.Online || !st.Hosts[host] {
		t.Fatalf("online %+v, want %s up", st, host)
	}
	if err := a.Clients.RemoveAccount(acc.ID); err != nil {
		t.Fatal(err)
	}
	if st := a.Outbox.Online(); st.Known || len(st.Hosts) != 0 {
		t.Errorf("after removing the account: %+v, want no hosts", st)
	}
}

// A manual network's post becomes "due" for the user to publish by hand.
func TestManualNetworkDueAndMarkPublished(t *testing.T) {
	a, _, _ := connectApp(t)
	c, _ := a.Clients.Save(ClientInput{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"})
	ig, _ := a.Clients.AddAccount(AccountInput{ClientID: c.ID, Network: "instagram", Handle: "@sol"})
	res, err := saveWithImage(t, a, PostInput{ClientID: c.ID, Status: "scheduled", Text: "Pan", Date: "2026-11-24", Time: "11:00", Variants: []VariantInput{{AccountID: ig.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.outbox.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	items, _ := a.Outbox.Items(OutboxQuery{States: []string{"due_manual"}})
	if len(items) != 1 || items[0].PostID != res.Post.ID {
		t.Fatalf("due items %+v", items)
	}
	if err := a.Outbox.MarkPublished(items[0].VariantID, "https://instagram.com/p/abc"); err != nil {
		t.Fatal(err)
	}
	p, _ := a.Posts.Get(res.Post.ID)
	if p.Status != "published" {
		t.Errorf("status %s", p.Status)
	}
}
