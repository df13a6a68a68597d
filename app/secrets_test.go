package app

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"pauta/backend"
	icsexport "pauta/backend/ics"
	"pauta/backend/keychain"
	"pauta/backend/platform/bluesky"
)

const tokAlba, tokBruno = "TOKEN-ALBA-5e1", "TOKEN-BRUNO-9c4"

// twoUsers is a Mastodon instance with two users, each with a token. It
// records the Authorization header of every status posted, and of every
// request at all.
type twoUsers struct {
	srv      *httptest.Server
	mu       sync.Mutex
	statuses []string // "text|Bearer token"
	auths    []string // every request: "METHOD path|Authorization"
	down     bool     // answer 503 to everything
}

func (f *twoUsers) setDown(d bool) { f.mu.Lock(); f.down = d; f.mu.Unlock() }

func newTwoUsers(t *testing.T) *twoUsers {
	t.Helper()
	f := &twoUsers{}
	users := map[string]string{
		"Bearer " + tokAlba:  `{"id":"201","username":"alba","acct":"alba","display_name":"Alba"}`,
		"Bearer " + tokBruno: `{"id":"202","username":"bruno","acct":"bruno","display_name":"Bruno"}`,
	}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		f.mu.Lock()
		f.auths = append(f.auths, r.Method+" "+r.URL.Path+"|"+auth)
		down := f.down
		f.mu.Unlock()
		if down {
			w.WriteHeader(503)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v2/instance":
			w.Write([]byte(`{"domain":"masto.test","title":"Masto","version":"4.3.0","configuration":{"statuses":{"max_characters":500}}}`))
		case "/api/v1/accounts/verify_credentials":
			u, ok := users[auth]
			if !ok {
				w.WriteHeader(401)
				w.Write([]byte(`{"error":"The access token is invalid"}`))
				return
			}
			w.Write([]byte(u))
		case "/api/v1/statuses":
			if _, ok := users[auth]; !ok {
				w.WriteHeader(401)
				w.Write([]byte(`{"error":"The access token is invalid"}`))
				return
			}
			f.mu.Lock()
			f.statuses = append(f.statuses, r.FormValue("status")+"|"+auth)
			n := len(f.statuses)
			f.mu.Unlock()
			w.Write([]byte(`{"id":"` + string(rune('0'+n)) + `","url":"https://masto.test/s/1","content":"x"}`))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *twoUsers) sent() ([]string, []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.statuses...), append([]string(nil), f.auths...)
}

// workspaceApp opens a workspace in its own data folder on a shared keychain.
func workspaceApp(t *testing.T, sec backend.Secrets) (*App, string) {
	t.Helper()
	dir := t.TempDir()
	a, err := New(context.Background(), Config{DataDir: dir, Clock: backend.FixedClock{T: testNow}, Emitter: NopEmitter{}, Secrets: sec})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a, dir
}

// duePost schedules a post due now (testNow is 11:00 in Madrid) for acc.
func duePost(t *testing.T, a *App, acc backend.Account, text string) {
	t.Helper()
	if _, err := a.Posts.Save(PostInput{ClientID: acc.ClientID, Status: "scheduled", Text: text, Date: "2026-11-24", Time: "11:00",
		Variants: []VariantInput{{AccountID: acc.ID}}}); err != nil {
		t.Fatal(err)
	}
}

func runOutbox(t *testing.T, a *App) {
	t.Helper()
	if err := a.outbox.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func connectMasto(t *testing.T, a *App, clientName, instance, token string) backend.Account {
	t.Helper()
	c, err := a.Clients.Save(ClientInput{Name: clientName, TimeZone: "Europe/Madrid", Language: "es"})
	if err != nil {
		t.Fatal(err)
	}
	acc, err := a.Connect.ConnectMastodon(MastodonInput{ClientID: c.ID, InstanceURL: instance, Token: token})
	if err != nil {
		t.Fatal(err)
	}
	return acc
}

// Two workspaces, each with an account number 1 on the same instance as two
// different users, on one keychain: each publishes with its own token.
func TestTwoWorkspacesSameAccountNumber(t *testing.T) {
	sec := newMemSecrets()
	inst := newTwoUsers(t)
	wa, _ := workspaceApp(t, sec)
	wb, _ := workspaceApp(t, sec)
	if wa.vault.Workspace == wb.vault.Workspace {
		t.Fatal("two workspaces share an id")
	}
	accA := connectMasto(t, wa, "Brand A", inst.srv.URL, tokAlba)
	accB := connectMasto(t, wb, "Brand B", inst.srv.URL, tokBruno)
	if accA.ID != 1 || accB.ID != 1 || accA.RemoteID != "201" || accB.RemoteID != "202" {
		t.Fatalf("accounts %+v / %+v", accA, accB)
	}
	duePost(t, wa, accA, "post of brand A")
	duePost(t, wb, accB, "post of brand B")
	runOutbox(t, wa)
	runOutbox(t, wb)
	statuses, _ := inst.sent()
	want := map[string]bool{"post of brand A|Bearer " + tokAlba: true, "post of brand B|Bearer " + tokBruno: true}
	if len(statuses) != 2 || !want[statuses[0]] || !want[statuses[1]] {
		t.Fatalf("statuses sent: %q", statuses)
	}
	// Both stay connected; the connect check of each uses its own token.
	for _, w := range []*App{wa, wb} {
		if acc, err := w.Connect.Check(1); err != nil || acc.Connection != backend.ConnConnected {
			t.Errorf("check: %+v %v", acc, err)
		}
	}
	// Removing A's account leaves B's login alone.
	if err := wa.Clients.RemoveAccount(accA.ID); err != nil {
		t.Fatal(err)
	}
	if tok, err := wb.vault.Load(context.Background(), accB, keychain.KindToken); err != nil || tok != tokBruno {
		t.Errorf("B's token after removing A's account: %v", err)
	}
	for k := range sec.m {
		if strings.Contains(k, wa.vault.Workspace) {
			t.Errorf("entry %s left after removal", k)
		}
	}
}

// editAccount changes an account row with SQL on the database file, as a
// copied or hand-edited pauta.db would.
func editAccount(t *testing.T, dir, set string, args ...any) {
	t.Helper()
	raw, err := sql.Open("sqlite", filepath.Join(dir, DBFile)+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE accounts SET `+set+` WHERE id = 1`, args...); err != nil {
		t.Fatal(err)
	}
}

// An account row pointed at another server does not get its token sent
// there: the post waits, the account shows "reconnect".
func TestAccountRowEditedToAnotherHost(t *testing.T) {
	sec := newMemSecrets()
	inst := newTwoUsers(t)
	other := newTwoUsers(t) // would accept the token: it must never see it
	a, dir := workspaceApp(t, sec)
	acc := connectMasto(t, a, "Brand A", inst.srv.URL, tokAlba)
	editAccount(t, dir, `service_url = ?`, other.srv.URL)

	duePost(t, a, acc, "must not go elsewhere")
	runOutbox(t, a)
	runOutbox(t, a)
	_, err := a.Connect.Check(acc.ID)
	wantKey(t, err, "account.reconnect")
	if _, seen := other.sent(); len(seen) != 0 {
		t.Fatalf("the other host received %q", seen)
	}
	if statuses, _ := inst.sent(); len(statuses) != 0 {
		t.Fatalf("published: %q", statuses)
	}
	items, err := a.Outbox.Items(OutboxQuery{})
	if err != nil || len(items) != 1 {
		t.Fatalf("items %+v %v", items, err)
	}
	if it := items[0]; it.State != backend.OutboxPending || !it.Paused || it.ErrorCode != backend.EAuth || it.ErrorKey != "account.secret_mismatch" {
		t.Errorf("item %+v", it)
	}
	if got := accountsOf(t, a)[0]; got.Connection != backend.ConnReconnect {
		t.Errorf("connection %s", got.Connection)
	}

	// The same with the remote account changed (a row now naming Bruno).
	b, dirB := workspaceApp(t, sec)
	accB := connectMasto(t, b, "Brand B", inst.srv.URL, tokAlba)
	editAccount(t, dirB, `remote_id = '202'`)
	duePost(t, b, accB, "not as Bruno")
	runOutbox(t, b)
	if statuses, _ := inst.sent(); len(statuses) != 0 {
		t.Fatalf("published: %q", statuses)
	}
	if items, _ := b.Outbox.Items(OutboxQuery{}); len(items) != 1 || items[0].ErrorKey != "account.secret_mismatch" {
		t.Errorf("items %+v", items)
	}

	// Reconnecting on the new server binds a new token there; posts go again.
	fresh, err := a.Connect.ConnectMastodon(MastodonInput{ClientID: acc.ClientID, AccountID: acc.ID, InstanceURL: other.srv.URL, Token: tokAlba})
	if err != nil || fresh.Connection != backend.ConnConnected {
		t.Fatalf("reconnect: %+v %v", fresh, err)
	}
	runOutbox(t, a)
	if statuses, _ := other.sent(); len(statuses) != 1 || statuses[0] != "must not go elsewhere|Bearer "+tokAlba {
		t.Errorf("after reconnecting: %q", statuses)
	}
}

// Entries written by older versions ("account/1/token", one per number for
// every workspace) are adopted only when they log in as the row's account.
func TestLegacyEntryMigration(t *testing.T) {
	sec := newMemSecrets()
	inst := newTwoUsers(t)
	wa, dirA := workspaceApp(t, sec)
	wb, _ := workspaceApp(t, sec)
	accA := connectMasto(t, wa, "Brand A", inst.srv.URL, tokAlba)
	accB := connectMasto(t, wb, "Brand B", inst.srv.URL, tokBruno)
	// Back to what the old version left: no workspace entries, one shared
	// legacy entry, last written by workspace B's connect.
	for k := range sec.m {
		delete(sec.m, k)
	}
	legacy := keychain.LegacyKey(1, keychain.KindToken)
	sec.m[legacy] = tokBruno

	// Offline: nothing adopted, nothing marked broken; retried later.
	inst.setDown(true)
	wb.migrateSecrets(context.Background())
	if _, err := wb.vault.Load(context.Background(), accB, keychain.KindToken); backend.ErrorCode(err) != backend.ENotFound {
		t.Fatalf("adopted while offline: %v", err)
	}
	if got := accountsOf(t, wb)[0]; got.Connection != backend.ConnConnected {
		t.Fatalf("offline marked the account %s", got.Connection)
	}
	inst.setDown(false)

	// Workspace A: the legacy token is Bruno's, not its account's: refused.
	wa.migrateSecrets(context.Background())
	if got := accountsOf(t, wa)[0]; got.Connection != backend.ConnReconnect {
		t.Errorf("A with B's legacy token: %s", got.Connection)
	}
	duePost(t, wa, accA, "brand A, legacy")
	runOutbox(t, wa)
	if statuses, _ := inst.sent(); len(statuses) != 0 {
		t.Fatalf("A published with B's token: %q", statuses)
	}
	if _, err := wa.vault.Load(context.Background(), accA, keychain.KindToken); backend.ErrorCode(err) != backend.ENotFound {
		t.Errorf("A adopted B's token: %v", err)
	}

	// Workspace B: the legacy token is its account's: adopted at first use
	// (no start-up pass), publishing works.
	duePost(t, wb, accB, "brand B, legacy")
	runOutbox(t, wb)
	if statuses, _ := inst.sent(); len(statuses) != 1 || statuses[0] != "brand B, legacy|Bearer "+tokBruno {
		t.Fatalf("B published %q", statuses)
	}
	if tok, err := wb.vault.Load(context.Background(), accB, keychain.KindToken); err != nil || tok != tokBruno {
		t.Fatalf("B's entry after adoption: %v", err)
	}
	// Kept for copies of the workspace until the account is removed.
	if sec.m[legacy] != tokBruno {
		t.Error("legacy entry dropped at adoption")
	}

	// A row pointed at another server gets no legacy token sent there.
	other := newTwoUsers(t)
	sec.m[keychain.LegacyKey(1, keychain.KindToken)] = tokAlba
	editAccount(t, dirA, `service_url = ?, connection = 'connected'`, other.srv.URL)
	wa.migrateSecrets(context.Background())
	if _, seen := other.sent(); len(seen) != 0 {
		t.Fatalf("the other host received %q", seen)
	}

	// Removing B's account removes its entry, but not a legacy entry that
	// holds another account's token (A's, which A may still adopt).
	if err := wb.Clients.RemoveAccount(accB.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := sec.m[keychain.Key(wb.vault.Workspace, 1, keychain.KindToken)]; ok {
		t.Error("workspace entry left")
	}
	if sec.m[legacy] != tokAlba {
		t.Error("removing B's account dropped a legacy entry that is not B's")
	}
}

// A legacy Bluesky session is adopted only for the row's DID; a refreshed
// session is saved sealed again.
func TestLegacyBlueskySession(t *testing.T) {
	sec := newMemSecrets()
	srv := fakeBluesky(t)
	a, _ := workspaceApp(t, sec)
	c, _ := a.Clients.Save(ClientInput{Name: "Hearth", TimeZone: "Europe/London", Language: "en"})
	acc, err := a.Connect.ConnectBluesky(BlueskyInput{ClientID: c.ID, Service: srv.URL, Identifier: "hearthyoga.test", AppPassword: bskyPassword})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := a.vault.Load(context.Background(), acc, keychain.KindSession)
	if err != nil {
		t.Fatal(err)
	}
	for k := range sec.m {
		delete(sec.m, k)
	}
	legacy := keychain.LegacyKey(acc.ID, keychain.KindSession)

	// Unreadable: refused, and never quoted.
	sec.m[legacy] = "garbage " + bskyRefresh
	if _, err := a.Connect.Check(acc.ID); backend.ErrorCode(err) != backend.EAuth || strings.Contains(err.Error(), bskyRefresh) {
		t.Fatalf("unreadable legacy session: %v", err)
	}

	// Another workspace's account under the same number: refused.
	var s bluesky.Session
	json.Unmarshal([]byte(sess), &s)
	otherDID := s
	otherDID.DID = "did:plc:someoneelse"
	b, _ := json.Marshal(otherDID)
	sec.m[legacy] = string(b)
	if _, err := a.Connect.Check(acc.ID); backend.ErrorCode(err) != backend.EAuth {
		t.Fatalf("another DID's session: %v", err)
	}
	if _, err := a.vault.Load(context.Background(), acc, keychain.KindSession); backend.ErrorCode(err) != backend.ENotFound {
		t.Fatalf("adopted another DID's session: %v", err)
	}

	// Its own session: adopted.
	sec.m[legacy] = sess
	editAccountConnected(t, a, acc.ID)
	if _, err := a.Connect.Check(acc.ID); err != nil {
		t.Fatalf("own legacy session: %v", err)
	}
	if got, err := a.vault.Load(context.Background(), acc, keychain.KindSession); err != nil || got != sess {
		t.Fatalf("adopted: %v", err)
	}
	// Removal drops both: the legacy entry is this DID's.
	if err := a.Clients.RemoveAccount(acc.ID); err != nil {
		t.Fatal(err)
	}
	if len(sec.m) != 0 {
		t.Errorf("left: %d entries", len(sec.m))
	}
}

func editAccountConnected(t *testing.T, a *App, id int64) {
	t.Helper()
	acc, err := a.store.GetAccount(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	acc.Connection = backend.ConnConnected
	if err := a.store.UpdateAccountConnection(context.Background(), acc); err != nil {
		t.Fatal(err)
	}
}

func TestPDSFits(t *testing.T) {
	for _, tt := range []struct {
		pds, service string
		ok           bool
	}{
		{"https://pds.example", "https://PDS.example:443", true},
		{"", "https://pds.example", true},
		{"https://morel.us-east.host.bsky.network", "https://bsky.social", true},
		{"https://morel.us-east.host.bsky.network", "https://pds.example", false},
		{"https://pds.example", "https://evil.example", false},
		{"https://evil.example", "https://bsky.social", false},
		{"http://x.bsky.network", "https://bsky.social", false},
	} {
		if got := pdsFits(tt.pds, tt.service); got != tt.ok {
			t.Errorf("pdsFits(%q, %q) = %v", tt.pds, tt.service, got)
		}
	}
}

// A Bluesky session refreshed while publishing is saved back sealed with the
// same server and DID; a row pointed elsewhere gets neither token.
func TestBlueskyRefreshKeepsBinding(t *testing.T) {
	var mu sync.Mutex
	var auths []string
	pds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		mu.Lock()
		auths = append(auths, r.URL.Path+"|"+auth)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/xrpc/com.atproto.server.createSession":
			w.Write([]byte(`{"did":"did:plc:hearth123","handle":"hearthyoga.test","accessJwt":"ACCESS-1","refreshJwt":"REFRESH-1","active":true}`))
		case r.URL.Path == "/xrpc/com.atproto.server.refreshSession" && auth == "Bearer REFRESH-1":
			w.Write([]byte(`{"did":"did:plc:hearth123","handle":"hearthyoga.test","accessJwt":"ACCESS-2","refreshJwt":"REFRESH-2"}`))
		case r.URL.Path == "/xrpc/com.atproto.repo.getRecord" && auth == "Bearer ACCESS-1":
			w.WriteHeader(400)
			w.Write([]byte(`{"error":"ExpiredToken","message":"Token has expired"}`))
		case r.URL.Path == "/xrpc/com.atproto.repo.getRecord" && auth == "Bearer ACCESS-2":
			w.Write([]byte(`{"uri":"at://did:plc:hearth123/app.bsky.feed.post/3k","cid":"bafy","value":{"$type":"app.bsky.feed.post","text":"hi","createdAt":"2026-11-24T10:00:00Z"}}`))
		default:
			w.WriteHeader(400)
			w.Write([]byte(`{"error":"InvalidToken","message":"bad token"}`))
		}
	}))
	defer pds.Close()
	sec := newMemSecrets()
	a, dir := workspaceApp(t, sec)
	c, _ := a.Clients.Save(ClientInput{Name: "Hearth", TimeZone: "Europe/London", Language: "en"})
	acc, err := a.Connect.ConnectBluesky(BlueskyInput{ClientID: c.ID, Service: pds.URL, Identifier: "hearthyoga.test", AppPassword: bskyPassword})
	if err != nil {
		t.Fatal(err)
	}
	_, found, err := blueskyRoute{a}.Lookup(context.Background(), backend.PublishRequest{Account: acc, RecordKey: "3k"})
	if err != nil || !found {
		t.Fatalf("lookup: %v %v", found, err)
	}
	sess, err := a.vault.Load(context.Background(), acc, keychain.KindSession)
	if err != nil || !strings.Contains(sess, "REFRESH-2") {
		t.Fatalf("refreshed session not saved under the binding: %v", err)
	}

	// The row now points at another server: no token goes anywhere.
	other := newTwoUsers(t)
	editAccount(t, dir, `service_url = ?`, other.srv.URL)
	moved, _ := a.store.GetAccount(context.Background(), acc.ID)
	mu.Lock()
	before := len(auths)
	mu.Unlock()
	_, _, err = blueskyRoute{a}.Lookup(context.Background(), backend.PublishRequest{Account: *moved, RecordKey: "3k"})
	if backend.AsError(err) == nil || backend.AsError(err).Key != "account.secret_mismatch" {
		t.Fatalf("moved row: %v", err)
	}
	mu.Lock()
	after := len(auths)
	mu.Unlock()
	if _, seen := other.sent(); len(seen) != 0 || after != before {
		t.Fatalf("requests after the move: other host %q, PDS %d", seen, after-before)
	}
}

// The keychain names entries with the same workspace id the calendar export
// derives its UIDs from; it exists as soon as the workspace is opened.
func TestWorkspaceIDSharedWithCalendar(t *testing.T) {
	a, _ := workspaceApp(t, newMemSecrets())
	ns, err := icsexport.Namespace(context.Background(), a.store, failingReader{})
	if err != nil {
		t.Fatalf("the export had to create an id: %v", err)
	}
	sum := sha256.Sum256([]byte(a.vault.Workspace))
	if ns != hex.EncodeToString(sum[:4]) {
		t.Fatalf("export namespace %s is not derived from the keychain's workspace id", ns)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("no randomness here") }

// The start-up pass and the outbox reaching the same legacy entry at once
// check it once and publish once.
func TestLegacyMigrationConcurrentWithOutbox(t *testing.T) {
	sec := newMemSecrets()
	inst := newTwoUsers(t)
	a, _ := workspaceApp(t, sec)
	acc := connectMasto(t, a, "Brand A", inst.srv.URL, tokAlba)
	for k := range sec.m {
		delete(sec.m, k)
	}
	sec.m[keychain.LegacyKey(acc.ID, keychain.KindToken)] = tokAlba
	_, before := inst.sent()
	duePost(t, a, acc, "once")
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a.migrateSecrets(context.Background()) }()
	var runErr error
	go func() { defer wg.Done(); runErr = a.outbox.RunOnce(context.Background()) }()
	wg.Wait()
	if runErr != nil {
		t.Fatal(runErr)
	}
	runOutbox(t, a)
	statuses, auths := inst.sent()
	verifies := 0
	for _, s := range auths[len(before):] {
		if strings.HasPrefix(s, "GET /api/v1/accounts/verify_credentials|") {
			verifies++
		}
	}
	if len(statuses) != 1 || statuses[0] != "once|Bearer "+tokAlba || verifies != 1 {
		t.Fatalf("statuses %q, %d verify_credentials calls", statuses, verifies)
	}
}
