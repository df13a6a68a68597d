package keychain_test

import (
	"context"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"pauta/backend"
	"pauta/backend/keychain"
)

func TestNormalizeServer(t *testing.T) {
	for in, want := range map[string]string{
		"https://Masto.Example":         "https://masto.example",
		"HTTPS://masto.example:443/":    "https://masto.example",
		"https://masto.example:8443/x":  "https://masto.example:8443",
		"http://127.0.0.1:5555":         "http://127.0.0.1:5555",
		"http://[::1]:80":               "http://[::1]",
		" https://bsky.social ":         "https://bsky.social",
		"masto.example":                 "",
		"":                              "",
		"https://masto.example.evil.io": "https://masto.example.evil.io",
	} {
		if got := keychain.NormalizeServer(in); got != want {
			t.Errorf("NormalizeServer(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSealUnseal(t *testing.T) {
	v, err := keychain.Seal(keychain.Binding{Server: "https://Masto.Example:443", Remote: "109"}, secret)
	if err != nil {
		t.Fatal(err)
	}
	b, got, err := keychain.Unseal(v)
	if err != nil || got != secret || b.Server != "https://masto.example" || b.Remote != "109" {
		t.Fatalf("Unseal = %+v %q %v", b, got, err)
	}
	if _, err := keychain.Seal(keychain.Binding{Server: "https://masto.example"}, secret); err == nil {
		t.Error("sealed without a remote account")
	}
	if _, err := keychain.Seal(keychain.Binding{Remote: "109"}, secret); err == nil {
		t.Error("sealed without a server")
	}
	// A bare legacy token is not an envelope, and the error does not quote it.
	if _, _, err := keychain.Unseal(secret); err == nil || strings.Contains(err.Error(), secret) {
		t.Errorf("Unseal(bare token) = %v", err)
	}
}

// The vault hands a secret out only for the row it was stored for.
func TestVaultBinding(t *testing.T) {
	keyring.MockInit()
	ctx := context.Background()
	k := keychain.New("Pauta-test", keychain.Options{Backend: pkgKeyring{}})
	wsA := keychain.Vault{Secrets: k, Workspace: "aaaa"}
	wsB := keychain.Vault{Secrets: k, Workspace: "bbbb"}
	acc := backend.Account{ID: 1, Handle: "@brera@masto.example", ServiceURL: "https://masto.example", RemoteID: "109"}
	other := backend.Account{ID: 1, Handle: "@hearth@masto.example", ServiceURL: "https://masto.example", RemoteID: "110"}

	if _, err := wsA.Load(ctx, acc, keychain.KindToken); backend.ErrorCode(err) != backend.ENotFound {
		t.Fatalf("missing: %v", err)
	}
	if err := wsA.Store(ctx, acc, keychain.KindToken, "tok-A"); err != nil {
		t.Fatal(err)
	}
	if err := wsB.Store(ctx, other, keychain.KindToken, "tok-B"); err != nil {
		t.Fatal(err)
	}
	if got, err := wsA.Load(ctx, acc, keychain.KindToken); err != nil || got != "tok-A" {
		t.Fatalf("workspace A reads %q, %v", got, err)
	}
	if got, err := wsB.Load(ctx, other, keychain.KindToken); err != nil || got != "tok-B" {
		t.Fatalf("workspace B reads %q, %v", got, err)
	}
	raw, _ := k.Get(ctx, keychain.Key("aaaa", 1, keychain.KindToken))
	if !strings.Contains(raw, `"server":"https://masto.example"`) || !strings.Contains(raw, `"remote":"109"`) {
		t.Errorf("stored form %s", strings.ReplaceAll(raw, "tok-A", "…"))
	}

	for name, row := range map[string]backend.Account{
		"server": {ID: 1, Handle: acc.Handle, ServiceURL: "https://evil.example", RemoteID: "109"},
		"port":   {ID: 1, Handle: acc.Handle, ServiceURL: "https://masto.example:8443", RemoteID: "109"},
		"none":   {ID: 1, Handle: acc.Handle, RemoteID: "109"},
		"remote": {ID: 1, Handle: acc.Handle, ServiceURL: "https://masto.example", RemoteID: "110"},
	} {
		got, err := wsA.Load(ctx, row, keychain.KindToken)
		e := backend.AsError(err)
		if got != "" || e == nil || e.Code != backend.EAuth || e.Key != "account.secret_mismatch" || strings.Contains(e.Message, "tok-A") {
			t.Errorf("%s: Load = %q, %+v", name, got, e)
		}
	}
	// Same server written differently still matches.
	if got, err := wsA.Load(ctx, backend.Account{ID: 1, ServiceURL: "HTTPS://MASTO.EXAMPLE:443/", RemoteID: "109"}, keychain.KindToken); err != nil || got != "tok-A" {
		t.Errorf("normalised server: %q %v", got, err)
	}
	// An entry that is not an envelope is refused, not used as a token.
	k.Set(ctx, keychain.Key("aaaa", 2, keychain.KindToken), "bare-token")
	if _, err := wsA.Load(ctx, backend.Account{ID: 2, ServiceURL: acc.ServiceURL, RemoteID: "109"}, keychain.KindToken); backend.AsError(err).Key != "account.secret_mismatch" {
		t.Errorf("bare entry: %v", err)
	}
	if err := wsA.Delete(ctx, 1, keychain.KindToken); err != nil {
		t.Fatal(err)
	}
	if _, err := wsA.Load(ctx, acc, keychain.KindToken); backend.ErrorCode(err) != backend.ENotFound {
		t.Errorf("after Delete: %v", err)
	}
	if got, err := wsB.Load(ctx, other, keychain.KindToken); err != nil || got != "tok-B" {
		t.Errorf("deleting A's entry touched B's: %q %v", got, err)
	}
	if err := (keychain.Vault{Secrets: k}).Store(ctx, acc, keychain.KindToken, "x"); backend.ErrorCode(err) != backend.EInternal {
		t.Errorf("a vault without a workspace stored: %v", err)
	}
}
