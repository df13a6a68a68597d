package app

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"pauta/backend"
	icsexport "pauta/backend/ics"
	"pauta/backend/keychain"
)

// memSecrets is an in-memory backend.Secrets with a switch to fail like a
// locked keychain.
type memSecrets struct {
	mu     sync.Mutex
	m      map[string]string
	broken bool
}

func newMemSecrets() *memSecrets { return &memSecrets{m: map[string]string{}} }

func (s *memSecrets) Set(_ context.Context, k, v string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.broken {
		return backend.Errorf(backend.EUnavailable, "keychain.locked", "the keychain is locked")
	}
	s.m[k] = v
	return nil
}

func (s *memSecrets) Get(_ context.Context, k string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[k]
	if !ok {
		return "", backend.Errorf(backend.ENotFound, "keychain.not_found", "no entry")
	}
	return v, nil
}

func (s *memSecrets) Delete(_ context.Context, k string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.broken {
		return backend.Errorf(backend.EUnavailable, "keychain.locked", "the keychain is locked")
	}
	delete(s.m, k)
	return nil
}

var _ backend.Secrets = (*memSecrets)(nil)

const mastoToken = "MASTO-SECRET-TOKEN-4f2a9c"
const bskyPassword = "abcd-efgh-ijkl-mnop"
const bskyAccess, bskyRefresh = "ACCESS-JWT-77aa", "REFRESH-JWT-88bb"

// fakeMastodon answers the instance and verify_credentials endpoints.
func fakeMastodon(t *testing.T, valid *string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v2/instance":
			w.Write([]byte(`{"domain":"masto.test","title":"Masto","version":"4.3.0","configuration":{"statuses":{"max_characters":1000,"max_media_attachments":4,"characters_reserved_per_url":23},"media_attachments":{"image_size_limit":16777216,"image_matrix_limit":33177600,"supported_mime_types":["image/jpeg","image/png"],"description_limit":1500}}}`))
		case "/api/v1/accounts/verify_credentials":
			if r.Header.Get("Authorization") != "Bearer "+*valid {
				w.WriteHeader(401)
				w.Write([]byte(`{"error":"The access token is invalid"}`))
				return
			}
			w.Write([]byte(`{"id":"109","username":"studiobrera","acct":"studiobrera","display_name":"Studio Brera","url":"https://masto.test/@studiobrera"}`))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// fakeBluesky answers createSession and getSession like a PDS.
func fakeBluesky(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/xrpc/com.atproto.server.createSession":
			var in struct{ Identifier, Password string }
			json.NewDecoder(r.Body).Decode(&in)
			if in.Password != bskyPassword {
				w.WriteHeader(401)
				w.Write([]byte(`{"error":"AuthenticationRequired","message":"Invalid identifier or password"}`))
				return
			}
			w.Write([]byte(`{"did":"did:plc:hearth123","handle":"hearthyoga.test","accessJwt":"` + bskyAccess + `","refreshJwt":"` + bskyRefresh + `","active":true}`))
		case "/xrpc/com.atproto.server.getSession":
			if r.Header.Get("Authorization") != "Bearer "+bskyAccess {
				w.WriteHeader(401)
				w.Write([]byte(`{"error":"InvalidToken","message":"bad token"}`))
				return
			}
			w.Write([]byte(`{"did":"did:plc:hearth123","handle":"hearthyoga.test"}`))
		case "/xrpc/com.atproto.identity.resolveHandle":
			if r.URL.Query().Get("handle") == "hearthyoga.test" {
				w.Write([]byte(`{"did":"did:plc:hearth123"}`))
				return
			}
			w.WriteHeader(400)
			w.Write([]byte(`{"error":"InvalidRequest","message":"Unable to resolve handle"}`))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func connectApp(t *testing.T) (*App, *memSecrets, string) {
	t.Helper()
	dir := t.TempDir()
	sec := newMemSecrets()
	a, err := New(context.Background(), Config{DataDir: dir, Clock: backend.FixedClock{T: testNow}, Emitter: NopEmitter{}, Secrets: sec})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a, sec, dir
}

func accountsOf(t *testing.T, a *App) []backend.Account {
	t.Helper()
	ws, err := a.Clients.Workspace(true)
	if err != nil {
		t.Fatal(err)
	}
	return ws.Accounts
}

func TestConnectMastodon(t *testing.T) {
	a, sec, _ := connectApp(t)
	valid := mastoToken
	srv := fakeMastodon(t, &valid)
	c, _ := a.Clients.Save(ClientInput{Name: "Studio Brera", TimeZone: "Europe/Rome", Language: "it"})

	// Bad input stores nothing.
	_, err := a.Connect.ConnectMastodon(MastodonInput{ClientID: c.ID, InstanceURL: srv.URL, Token: "wrong"})
	if e := wantKey(t, err, "mastodon.token_invalid"); e.Code != backend.EAuth || e.Field != "token" || strings.Contains(e.Message, "wrong") {
		t.Errorf("wrong token: %+v", e)
	}
	_, err = a.Connect.ConnectMastodon(MastodonInput{ClientID: c.ID, InstanceURL: "http://masto.example", Token: mastoToken})
	wantKey(t, err, "mastodon.https_required")
	_, err = a.Connect.ConnectMastodon(MastodonInput{ClientID: c.ID, InstanceURL: "http://127.0.0.1:1", Token: mastoToken})
	wantKey(t, err, "mastodon.unreachable")
	_, err = a.Connect.ConnectMastodon(MastodonInput{ClientID: c.ID, InstanceURL: srv.URL})
	wantKey(t, err, "mastodon.token_required")
	sec.broken = true
	_, err = a.Connect.ConnectMastodon(MastodonInput{ClientID: c.ID, InstanceURL: srv.URL, Token: mastoToken})
	wantKey(t, err, "keychain.locked")
	sec.broken = false
	if n := len(accountsOf(t, a)); n != 0 || len(sec.m) != 0 {
		t.Fatalf("failed connections stored %d accounts, %d secrets", n, len(sec.m))
	}

	acc, err := a.Connect.ConnectMastodon(MastodonInput{ClientID: c.ID, InstanceURL: srv.URL, Token: mastoToken})
	if err != nil {
		t.Fatal(err)
	}
	if acc.Connection != backend.ConnConnected || acc.RemoteID != "109" || !strings.HasPrefix(acc.Handle, "@studiobrera@127.0.0.1") ||
		acc.Limits.MaxCharacters != 1000 || acc.DisplayName != "Studio Brera" {
		t.Errorf("account %+v", acc)
	}
	if tok, err := a.vault.Load(context.Background(), acc, keychain.KindToken); err != nil || tok != mastoToken {
		t.Errorf("token not in the keychain: %v", err)
	}
	if raw := sec.m[keychain.Key(a.vault.Workspace, acc.ID, keychain.KindToken)]; !strings.Contains(raw, `"server":"`+strings.ToLower(srv.URL)+`"`) || !strings.Contains(raw, `"remote":"109"`) {
		t.Errorf("token not bound to its instance and account (%d bytes)", len(raw))
	}
	// A revoked token: Check marks the account "reconnect"; reconnecting fixes it.
	valid = "rotated"
	_, err = a.Connect.Check(acc.ID)
	wantKey(t, err, "account.reconnect")
	if got := accountsOf(t, a)[0]; got.Connection != backend.ConnReconnect {
		t.Errorf("after revoke: %s", got.Connection)
	}
	if _, err := a.Connect.ConnectMastodon(MastodonInput{ClientID: c.ID, AccountID: acc.ID, InstanceURL: srv.URL, Token: "rotated"}); err != nil {
		t.Fatal(err)
	}
	if got := accountsOf(t, a); len(got) != 1 || got[0].Connection != backend.ConnConnected {
		t.Errorf("after reconnect: %+v", got)
	}
	// Removing the account removes its keychain entry.
	if err := a.Clients.RemoveAccount(acc.ID); err != nil {
		t.Fatal(err)
	}
	if len(sec.m) != 0 {
		t.Errorf("secrets left: %v", sec.m)
	}
}

func TestConnectBluesky(t *testing.T) {
	a, sec, _ := connectApp(t)
	srv := fakeBluesky(t)
	c, _ := a.Clients.Save(ClientInput{Name: "Hearth", TimeZone: "Europe/London", Language: "en"})
	_, err := a.Connect.ConnectBluesky(BlueskyInput{ClientID: c.ID, Service: srv.URL, Identifier: "hearthyoga.test", AppPassword: "nope-nope-nope-nope"})
	if e := wantKey(t, err, "bluesky.bad_password"); e.Code != backend.EAuth {
		t.Errorf("bad password %+v", e)
	}
	if len(accountsOf(t, a)) != 0 || len(sec.m) != 0 {
		t.Fatal("a failed login stored something")
	}
	acc, err := a.Connect.ConnectBluesky(BlueskyInput{ClientID: c.ID, Service: srv.URL, Identifier: "@hearthyoga.test", AppPassword: bskyPassword})
	if err != nil {
		t.Fatal(err)
	}
	if acc.Handle != "@hearthyoga.test" || acc.RemoteID != "did:plc:hearth123" || acc.Connection != backend.ConnConnected {
		t.Errorf("account %+v", acc)
	}
	if v, err := a.vault.Load(context.Background(), acc, keychain.KindSession); err != nil || !strings.Contains(v, bskyRefresh) {
		t.Error("session not in the keychain")
	}
	if _, err := a.Connect.Check(acc.ID); err != nil {
		t.Errorf("check: %v", err)
	}
}

// No token, password or session ever reaches the database, an export or the logs.
func TestNoSecretOnDisk(t *testing.T) {
	a, _, dir := connectApp(t)
	valid := mastoToken
	m := fakeMastodon(t, &valid)
	b := fakeBluesky(t)
	c, _ := a.Clients.Save(ClientInput{Name: "Studio Brera", TimeZone: "Europe/Rome", Language: "it"})
	ma, err := a.Connect.ConnectMastodon(MastodonInput{ClientID: c.ID, InstanceURL: m.URL, Token: mastoToken})
	if err != nil {
		t.Fatal(err)
	}
	ba, err := a.Connect.ConnectBluesky(BlueskyInput{ClientID: c.ID, Service: b.URL, Identifier: "hearthyoga.test", AppPassword: bskyPassword})
	if err != nil {
		t.Fatal(err)
	}
	// Failed attempts must not leak either.
	a.Connect.ConnectMastodon(MastodonInput{ClientID: c.ID, InstanceURL: m.URL, Token: "WRONG-TOKEN-xyz"})
	a.Connect.ConnectBluesky(BlueskyInput{ClientID: c.ID, Service: b.URL, Identifier: "x.test", AppPassword: "WRONG-PASS-qrs"})
	if _, err := a.Posts.Save(PostInput{ClientID: c.ID, Status: "scheduled", Text: "Ciao", Date: "2026-11-25", Time: "10:00",
		Variants: []VariantInput{{AccountID: ma.ID}, {AccountID: ba.ID}}}); err != nil {
		t.Fatal(err)
	}
	var ics bytes.Buffer
	svc := icsexport.NewService(a.store, a.cfg.Clock)
	sel, err := svc.Clients(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := svc.Write(context.Background(), &ics, sel, icsexport.Options{}); err != nil || n != 1 {
		t.Fatalf("export: %d events, %v", n, err)
	}
	a.store.Close() // flush the WAL into the file
	files := map[string][]byte{"export.ics": ics.Bytes()}
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			files[p], _ = os.ReadFile(p)
		}
		return nil
	})
	if len(files) < 2 {
		t.Fatalf("nothing to search: %v", files)
	}
	for name, body := range files {
		for _, secret := range []string{mastoToken, bskyPassword, bskyAccess, bskyRefresh, "WRONG-TOKEN-xyz", "WRONG-PASS-qrs"} {
			if bytes.Contains(body, []byte(secret)) {
				t.Errorf("%s contains a secret (%s…)", name, secret[:6])
			}
		}
	}
}
