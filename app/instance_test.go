package app

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/media"

	"github.com/wailsapp/wails/v2/pkg/options"
)

// With PAUTA_APP_HOLD=<dir> the test binary is a second Pauta: it opens the
// workspace as the window does, runs the outbox and waits to be killed.
func TestMain(m *testing.M) {
	media.ServeDecoder() // HEIC and AVIF decode in this binary started again
	if dir := os.Getenv("PAUTA_APP_HOLD"); dir != "" {
		os.Exit(holdWorkspace(dir))
	}
	os.Exit(m.Run())
}

func holdWorkspace(dir string) int {
	sec := newMemSecrets()
	if err := json.Unmarshal([]byte(os.Getenv("PAUTA_APP_SECRETS")), &sec.m); err != nil {
		fmt.Println("error:", err)
		return 1
	}
	a, err := New(context.Background(), Config{DataDir: dir, Clock: backend.FixedClock{T: testNow}, Emitter: NopEmitter{},
		Secrets: sec, Opener: &fakeOpener{}, Notifier: &fakeNotifier{}, Role: RoleWindow})
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	a.StartOutbox(context.Background())
	fmt.Println("ready")
	io.Copy(io.Discard, os.Stdin) // hold until killed or the test's pipe closes
	return 0
}

// Two processes on one workspace with a due post: while the first is sending
// it (the instance has not answered yet), a second open is refused naming the
// first's PID, so its outbox cannot reset and re-send the post — the instance
// gets exactly one create. Killing the first (kill -9) leaves the workspace
// openable.
func TestASecondProcessCannotResendAnInFlightPost(t *testing.T) {
	var creates atomic.Int32
	inflight, release := make(chan struct{}), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v2/instance":
			w.Write([]byte(`{"domain":"masto.test","title":"Masto","version":"4.3.0","configuration":{"statuses":{"max_characters":500}}}`))
		case "/api/v1/accounts/verify_credentials":
			w.Write([]byte(`{"id":"1","username":"brera","acct":"brera"}`))
		case "/api/v1/statuses":
			// Like a server that records the idempotency key only after
			// creating the status: every POST is a new status.
			if creates.Add(1) == 1 {
				close(inflight)
				select {
				case <-release:
				case <-r.Context().Done():
					return
				}
			}
			w.Write([]byte(`{"id":"555","url":"https://masto.test/@brera/555","content":"x"}`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	var released atomic.Bool
	freeServer := func() {
		if released.CompareAndSwap(false, true) {
			close(release)
		}
	}
	defer freeServer() // before srv.Close, which waits for the handler

	a, sec, dir := connectApp(t)
	c, _ := a.Clients.Save(ClientInput{Name: "Studio Brera", TimeZone: "Europe/Madrid", Language: "it"})
	acc, err := a.Connect.ConnectMastodon(MastodonInput{ClientID: c.ID, InstanceURL: srv.URL, Token: mastoToken})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Posts.Save(PostInput{ClientID: c.ID, Status: "scheduled", Text: "Una volta sola", Date: "2026-11-24", Time: "11:00",
		Variants: []VariantInput{{AccountID: acc.ID}}}); err != nil {
		t.Fatal(err)
	}
	a.Close()
	sec.mu.Lock()
	secrets, _ := json.Marshal(sec.m)
	sec.mu.Unlock()

	holder := exec.Command(os.Args[0], "-test.run=^$")
	holder.Env = append(os.Environ(), "PAUTA_APP_HOLD="+dir, "PAUTA_APP_SECRETS="+string(secrets))
	out, _ := holder.StdoutPipe()
	holder.StdinPipe() // kept open: the holder waits on it
	holder.Stderr = os.Stderr
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { holder.Process.Kill(); holder.Wait() }()
	if line, err := bufio.NewReader(out).ReadString('\n'); strings.TrimSpace(line) != "ready" {
		t.Fatalf("first process: %q %v", line, err)
	}
	select {
	case <-inflight:
	case <-time.After(20 * time.Second):
		t.Fatal("the first process never sent the post")
	}

	second := func() (*App, error) {
		return New(context.Background(), Config{DataDir: dir, Clock: backend.FixedClock{T: testNow}, Emitter: NopEmitter{},
			Secrets: sec, Opener: &fakeOpener{}, Notifier: &fakeNotifier{}, Role: RoleWindow})
	}
	b, err := second()
	if err == nil {
		_ = b.outbox.RunOnce(context.Background())
		b.Close()
		t.Errorf("a second process opened the workspace while the first was sending")
	} else {
		e := wantKey(t, err, "store.locked")
		pid := strconv.Itoa(holder.Process.Pid)
		if e.Params["pid"] != pid || !strings.Contains(e.Message, "(process "+pid+", the window); close it first") {
			t.Errorf("refusal does not name process %s: %q", pid, e.Message)
		}
	}
	if n := creates.Load(); n != 1 {
		t.Errorf("the instance got %d creates, want exactly 1", n)
	}

	holder.Process.Kill()
	if err := holder.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("the first process was not running until killed: %v", err)
	}
	freeServer()
	b, err = second()
	if err != nil {
		t.Fatalf("after kill -9 of the first process: %v", err)
	}
	b.Close()
}

// The single-instance id is one per workspace folder however it is spelled,
// different for another folder, and usable in a D-Bus name.
func TestInstanceIDPerWorkspace(t *testing.T) {
	root := t.TempDir()
	ws := filepath.Join(root, "ws")
	os.Mkdir(ws, 0o700)
	link := filepath.Join(root, "link")
	if err := os.Symlink(ws, link); err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	id := InstanceID(ws)
	for _, same := range []string{ws + "/", filepath.Join(ws, "sub", ".."), "ws", "./ws/", link} {
		if got := InstanceID(same); got != id {
			t.Errorf("%q → %s, want %s", same, got, id)
		}
	}
	if other := InstanceID(filepath.Join(root, "other")); other == id {
		t.Error("two workspaces share an instance id")
	}
	if !regexp.MustCompile(`^[a-z][a-z0-9_]{8,40}$`).MatchString(id) {
		t.Errorf("id %q is not usable in a D-Bus name", id)
	}
	// A second-instance message before the window started is ignored, not a crash.
	newSingleInstance(ws).front(options.SecondInstanceData{})
}

// The window and a refused start carry the same single-instance id, so Wails
// hands the second to the first; the refused start binds nothing and only
// acts (a dialog, then quit) if the handover did not end it.
func TestWindowAndForwardShareTheInstanceID(t *testing.T) {
	a, _ := newApp(t)
	win := Options(a, os.DirFS(t.TempDir()))
	if win.SingleInstanceLock == nil || win.SingleInstanceLock.UniqueId != InstanceID(a.cfg.DataDir) || win.SingleInstanceLock.OnSecondInstanceLaunch == nil {
		t.Fatalf("window single-instance lock %+v", win.SingleInstanceLock)
	}
	_, err := New(context.Background(), Config{DataDir: a.cfg.DataDir, Secrets: newMemSecrets(), Emitter: NopEmitter{}})
	wantKey(t, err, "store.locked") // the same process counts as another Pauta too
	fwd := ForwardOptions(a.cfg.DataDir, err)
	if fwd.SingleInstanceLock == nil || fwd.SingleInstanceLock.UniqueId != win.SingleInstanceLock.UniqueId {
		t.Fatalf("forward id %+v, want %s", fwd.SingleInstanceLock, win.SingleInstanceLock.UniqueId)
	}
	if len(fwd.Bind) != 0 || fwd.OnStartup != nil || fwd.OnShutdown != nil || !fwd.StartHidden || fwd.OnDomReady == nil {
		t.Errorf("the forwarding start does more than hand over: %+v", fwd)
	}
}
