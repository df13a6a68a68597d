package keychain_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"pauta/backend"
	"pauta/backend/keychain"
)

// pkgKeyring calls go-keyring's package functions, so keyring.MockInit and
// keyring.MockInitWithError decide what they do. (The keychain's default
// backend adds a D-Bus check that would make these tests depend on the host.)
type pkgKeyring struct{}

func (pkgKeyring) Set(s, u, p string) error        { return keyring.Set(s, u, p) }
func (pkgKeyring) Get(s, u string) (string, error) { return keyring.Get(s, u) }
func (pkgKeyring) Delete(s, u string) error        { return keyring.Delete(s, u) }

// hanging never answers until released, like a D-Bus call waiting on a prompt.
type hanging struct{ release chan struct{} }

func (h hanging) Set(s, u, p string) error        { <-h.release; return nil }
func (h hanging) Get(s, u string) (string, error) { <-h.release; return "late", nil }
func (h hanging) Delete(s, u string) error        { <-h.release; return nil }

const secret = "tok-3f9a-SECRET-Ω"

func TestKeys(t *testing.T) {
	if got := keychain.Key("ab12", 42, keychain.KindToken); got != "workspace/ab12/account/42/token" {
		t.Fatalf("Key = %q", got)
	}
	if got := keychain.LegacyKey(42, keychain.KindToken); got != "account/42/token" {
		t.Fatalf("LegacyKey = %q", got)
	}
	if keychain.Key("ab12", 1, keychain.KindToken) == keychain.Key("cd34", 1, keychain.KindToken) {
		t.Fatal("two workspaces must not share an entry")
	}
	if keychain.Key("ab12", 1, keychain.KindSession) == keychain.Key("ab12", 1, keychain.KindToken) {
		t.Fatal("kinds must not share an entry")
	}
}

func TestMockRoundTrip(t *testing.T) {
	keyring.MockInit()
	ctx := context.Background()
	k := keychain.New("Pauta-test", keychain.Options{Backend: pkgKeyring{}})
	key := keychain.Key("ws", 7, keychain.KindToken)

	if _, err := k.Get(ctx, key); backend.ErrorCode(err) != backend.ENotFound || backend.AsError(err).Key != "keychain.not_found" {
		t.Fatalf("Get missing: %v (code %s)", err, backend.ErrorCode(err))
	}
	if err := k.Set(ctx, key, secret); err != nil {
		t.Fatal(err)
	}
	got, err := k.Get(ctx, key)
	if err != nil || got != secret {
		t.Fatalf("Get = %q, %v", got, err)
	}
	if err := k.Set(ctx, key, "second"); err != nil {
		t.Fatal(err)
	}
	if got, _ := k.Get(ctx, key); got != "second" {
		t.Fatalf("Set did not replace: %q", got)
	}
	if err := k.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if err := k.Delete(ctx, key); err != nil {
		t.Fatalf("deleting a missing entry must succeed: %v", err)
	}
	if _, err := k.Get(ctx, key); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("after Delete: %v (the go-keyring cause must stay in the chain)", err)
	}
}

func TestMockErrors(t *testing.T) {
	tests := []struct {
		name  string
		err   error
		code  string
		key   string
		inMsg string
	}{
		{"locked collection", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"),
			backend.EUnavailable, "keychain.locked", "unlock"},
		{"no secret service", errors.New("The name org.freedesktop.secrets was not provided by any .service files"),
			backend.EUnavailable, "keychain.unavailable", "gnome-keyring"},
		{"no dbus", errors.New(`exec: "dbus-launch": executable file not found in $PATH`),
			backend.EUnavailable, "keychain.unavailable", "gnome-keyring"},
		{"too big", keyring.ErrSetDataTooBig, backend.EInvalid, "keychain.too_big", "too big"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keyring.MockInitWithError(tt.err)
			k := keychain.New("Pauta-test", keychain.Options{Backend: pkgKeyring{}})
			ctx := context.Background()
			for op, f := range map[string]func() error{
				"set":    func() error { return k.Set(ctx, "account/1/token", secret) },
				"get":    func() error { _, err := k.Get(ctx, "account/1/token"); return err },
				"delete": func() error { return k.Delete(ctx, "account/1/token") },
			} {
				err := f()
				if tt.key == "keychain.too_big" && op != "set" {
					continue
				}
				e := backend.AsError(err)
				if e == nil || e.Code != tt.code || e.Key != tt.key {
					t.Fatalf("%s: got %+v, want %s/%s", op, e, tt.code, tt.key)
				}
				if !strings.Contains(err.Error(), tt.inMsg) {
					t.Errorf("%s: message %q lacks %q", op, err.Error(), tt.inMsg)
				}
				if strings.Contains(err.Error(), secret) {
					t.Errorf("%s: the secret leaked into %q", op, err.Error())
				}
				if !errors.Is(err, tt.err) {
					t.Errorf("%s: cause lost", op)
				}
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	h := hanging{release: make(chan struct{})}
	defer close(h.release)
	k := keychain.New("Pauta-test", keychain.Options{Backend: h, Timeout: 30 * time.Millisecond})
	start := time.Now()
	_, err := k.Get(context.Background(), "account/1/token")
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("Get took %s: the deadline did not apply", took)
	}
	e := backend.AsError(err)
	if e == nil || e.Code != backend.EUnavailable || e.Key != "keychain.unavailable" || e.Params["reason"] != "timeout" {
		t.Fatalf("got %+v", e)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("cause lost: %v", err)
	}

	// The caller's context is honoured too.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	k = keychain.New("Pauta-test", keychain.Options{Backend: h, Timeout: time.Hour})
	if err := k.Set(ctx, "account/1/token", secret); backend.ErrorCode(err) != backend.EUnavailable || strings.Contains(err.Error(), secret) {
		t.Fatalf("cancelled Set: %v", err)
	}
}

// TestSecretServiceReal talks to a real Secret Service. go-keyring's mock
// replaces a package global for the whole test binary, so the real test runs
// in a child process where no test has called MockInit. It skips when there
// is no session bus or the probe fails, unless PAUTA_REQUIRE_KEYRING=1
// (CI under keyring-wrap.sh), where a missing keychain is a failure.
func TestSecretServiceReal(t *testing.T) {
	if os.Getenv("PAUTA_KEYCHAIN_CHILD") == "1" {
		realSecretService(t)
		return
	}
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		skipOrFail(t, "no DBUS_SESSION_BUS_ADDRESS: run under keyring-wrap.sh for the real Secret Service test")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSecretServiceReal$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), "PAUTA_KEYCHAIN_CHILD=1")
	out, err := cmd.CombinedOutput()
	t.Logf("child:\n%s", out)
	if err != nil {
		t.Fatalf("real Secret Service test failed: %v", err)
	}
	if strings.Contains(string(out), "--- SKIP") {
		skipOrFail(t, "the Secret Service probe failed (see the child's log)")
	}
}

func skipOrFail(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("PAUTA_REQUIRE_KEYRING") == "1" {
		t.Fatal(why)
	}
	t.Skip(why)
}

func realSecretService(t *testing.T) {
	ctx := context.Background()
	service := fmt.Sprintf("Pauta-test-%d", time.Now().UnixNano())
	k := keychain.New(service, keychain.Options{Timeout: 5 * time.Second})
	probe := keychain.Key("probe", 0, "probe")
	if err := k.Set(ctx, probe, "x"); err != nil {
		t.Skipf("no usable Secret Service: %v", err)
	}
	if err := k.Delete(ctx, probe); err != nil {
		t.Fatalf("probe delete: %v", err)
	}

	key := keychain.Key("real-test", 99, keychain.KindToken)
	if _, err := k.Get(ctx, key); backend.ErrorCode(err) != backend.ENotFound {
		t.Fatalf("missing entry: %v (code %s)", err, backend.ErrorCode(err))
	}
	// A sealed secret (the form the app stores) round-trips through the real keychain.
	v := keychain.Vault{Secrets: k, Workspace: "real-test"}
	acc := backend.Account{ID: 98, Handle: "@brera@masto.example", ServiceURL: "https://masto.example", RemoteID: "109"}
	if err := v.Store(ctx, acc, keychain.KindToken, secret); err != nil {
		t.Fatal(err)
	}
	if got, err := v.Load(ctx, acc, keychain.KindToken); err != nil || got != secret {
		t.Fatalf("vault Load = %q, %v", got, err)
	}
	if err := v.Delete(ctx, acc.ID, keychain.KindToken); err != nil {
		t.Fatal(err)
	}
	if err := k.Set(ctx, key, secret); err != nil {
		t.Fatal(err)
	}
	got, err := k.Get(ctx, key)
	if err != nil || got != secret {
		t.Fatalf("Get = %q, %v", got, err)
	}
	if err := k.Set(ctx, key, secret+"-2"); err != nil {
		t.Fatal(err)
	}
	if got, _ := k.Get(ctx, key); got != secret+"-2" {
		t.Fatalf("replace: got %q", got)
	}
	if err := k.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Get(ctx, key); backend.ErrorCode(err) != backend.ENotFound {
		t.Fatalf("after delete: %v", err)
	}
	if err := k.Delete(ctx, key); err != nil {
		t.Fatalf("delete missing: %v", err)
	}
	t.Logf("real Secret Service: set, read, replace, delete, missing entry OK")
}

// Without a session bus the default backend must refuse at once (godbus
// would autolaunch a daemon and a keyring that can never be unlocked).
func TestNoSessionBus(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("D-Bus check is Linux only")
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	k := keychain.New("Pauta-test", keychain.Options{})
	_, err := k.Get(context.Background(), "account/1/token")
	e := backend.AsError(err)
	if e == nil || e.Code != backend.EUnavailable || e.Key != "keychain.unavailable" || !strings.Contains(e.Message, "D-Bus") {
		t.Fatalf("got %+v", e)
	}
}
