package outbox

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/platform/mastodon"
	"pauta/backend/sqlite"
)

// The remote kill test hands posts to a fake Mastodon instance from a child
// process (this test binary again, TestRemoteKillChild) with the real
// client on a real SQLite file, and SIGKILLs the child at random moments,
// including between the instance storing a scheduled status and Pauta
// recording its id. Whatever the kills, the instance ends with exactly one
// scheduled status per post, and nothing is cancelled or created twice.

const remoteChildEnv = "PAUTA_REMOTE_KILL_CHILD"

type remoteChildConfig struct {
	DB, URL string
}

func TestRemoteKillChild(t *testing.T) {
	raw := os.Getenv(remoteChildEnv)
	if raw == "" {
		t.Skip("the child process of TestRemoteKill")
	}
	var cfg remoteChildConfig
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, cfg.DB, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, err := mastodon.New(cfg.URL, "tok", &http.Client{Timeout: 10 * time.Second}, nil)
	if err != nil {
		t.Fatal(err)
	}
	o := New(db, map[backend.Network]backend.Publisher{backend.Mastodon: c}, nil, AlwaysOnline{}, nil,
		// Settle: the fake stores a create as it arrives, so a create not
		// listed two of the server's seconds after its mark never reached it.
		Options{MinBackoff: 10 * time.Millisecond, MaxBackoff: 20 * time.Millisecond, Settle: time.Millisecond, Logf: func(string, ...any) {}})
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		o.Wake()
		if err := o.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if remoteKillDone(t, db) {
			return
		}
		time.Sleep(25 * time.Millisecond) // past the sync's backoff
	}
	t.Fatal("not done in time")
}

// remoteKillDone: every pending variant has a scheduled status recorded.
func remoteKillDone(t *testing.T, db *sqlite.DB) bool {
	ctx := context.Background()
	accs, err := db.RemoteAccounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range accs {
		jobs, err := db.RemoteCandidates(ctx, a.ID, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		rows, err := db.RemoteSchedules(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		have := map[int64]bool{}
		for _, r := range rows {
			have[r.VariantID] = r.RemoteID != "" && r.CreatingSince == nil
		}
		for _, j := range jobs {
			if !have[j.Publish.VariantID] {
				return false
			}
		}
	}
	return true
}

func TestRemoteKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pauta.db")
	db, err := sqlite.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	clock := &fakeClock{t: time.Now()}
	f := newFakeMastodon(t, clock)
	// The instance's clock (its Date headers) is the real one here: the
	// children use the real clock.
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
				clock.Set(time.Now())
			}
		}
	}()
	f.delay = 3 * time.Millisecond
	host := strings.TrimPrefix(f.srv.URL, "http://")
	client := &backend.Client{Name: "Kill", TimeZone: "UTC", Language: "es"}
	if err := db.CreateClient(ctx, client); err != nil {
		t.Fatal(err)
	}
	acc := &backend.Account{ClientID: client.ID, Network: backend.Mastodon, Handle: "@sol@" + host, Connection: backend.ConnConnected, ServiceURL: f.srv.URL, RemoteID: "1"}
	if err := db.CreateAccount(ctx, acc); err != nil {
		t.Fatal(err)
	}
	const n = 30
	for i := 0; i < n; i++ {
		at := time.Now().Add(time.Hour + time.Duration(i)*time.Minute).Truncate(time.Second)
		p := &backend.Post{ClientID: client.ID, Status: backend.StatusScheduled, BaseText: fmt.Sprintf("remote kill %d", i), ScheduledAt: &at, TimeZone: "UTC",
			Variants: []backend.Variant{{AccountID: acc.ID}}}
		if err := db.CreatePost(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	cfg, _ := json.Marshal(remoteChildConfig{DB: path, URL: f.srv.URL})
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 3))
	kills, inFlight := 0, 0
	for round := 0; round < 40 && !remoteKillDone(t, db); round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRemoteKillChild$")
		cmd.Env = append(os.Environ(), remoteChildEnv+"="+string(cfg), "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		posted := f.count("POST scheduled")
		// Kill once the child is sending (a few creates in), at a random moment.
		wait := time.Duration(rng.IntN(12)) * time.Millisecond
		deadline := time.Now().Add(5 * time.Second)
		for f.count("POST scheduled") == posted && time.Now().Before(deadline) {
			select {
			case err := <-exited:
				checkChildExit(t, err, &out)
				goto next
			case <-time.After(time.Millisecond):
			}
		}
		time.Sleep(wait)
		cmd.Process.Signal(syscall.SIGKILL)
		<-exited
		kills++
	next:
		if rows, err := db.RemoteSchedules(ctx, acc.ID); err == nil {
			for _, r := range rows {
				if r.CreatingSince != nil {
					inFlight++ // killed between the intent and its outcome
				}
			}
		}
		// Never two scheduled statuses for one post, at any moment.
		seen := map[string]bool{}
		for _, s := range f.list() {
			if seen[s.Params.Text] {
				t.Fatalf("two scheduled statuses for %q after %d kills", s.Params.Text, kills)
			}
			seen[s.Params.Text] = true
		}
	}
	// A last run without kills finishes the work.
	cmd := exec.Command(os.Args[0], "-test.run=^TestRemoteKillChild$")
	cmd.Env = append(os.Environ(), remoteChildEnv+"="+string(cfg))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	checkChildExit(t, cmd.Run(), &out)

	list := f.list()
	if len(list) != n || f.count("POST scheduled") != n || f.count("DELETE") != 0 {
		t.Fatalf("after %d kills: %d scheduled, %d created, %d cancelled; want %d, %d, 0", kills, len(list), f.count("POST scheduled"), f.count("DELETE"), n, n)
	}
	byID := map[string]string{}
	for _, s := range list {
		byID[s.ID] = s.Params.Text
	}
	rows, _ := db.RemoteSchedules(ctx, acc.ID)
	if len(rows) != n {
		t.Fatalf("%d rows, want %d", len(rows), n)
	}
	for _, r := range rows {
		if byID[r.RemoteID] == "" || r.CreatingSince != nil {
			t.Fatalf("row %+v does not match the instance", r)
		}
	}
	if kills >= 5 && inFlight == 0 {
		t.Errorf("no kill landed while a create was in flight (%d kills): the test did not test it", kills)
	}
	t.Logf("%d kills, %d of them with a create in flight, %d posts", kills, inFlight, n)
}
