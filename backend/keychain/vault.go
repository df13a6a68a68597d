package keychain

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/url"
	"strings"

	"pauta/backend"
)

// Binding is what a secret belongs to: the server it may be sent to and the
// remote account it logs in as.
type Binding struct {
	Server string `json:"server"` // NormalizeServer form: scheme://host[:port]
	Remote string `json:"remote"` // Mastodon account id or Bluesky DID
}

// BindingOf is the binding an account row claims (its service_url and remote_id).
func BindingOf(acc backend.Account) Binding {
	return Binding{Server: NormalizeServer(acc.ServiceURL), Remote: acc.RemoteID}
}

// NormalizeServer reduces a server address to lower-case scheme://host[:port]
// without the scheme's default port, so the same server always compares
// equal; "" when raw is not an absolute address.
func NormalizeServer(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || u.Scheme == "" {
		return ""
	}
	scheme, host, port := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		port = ""
	}
	if port != "" || strings.Contains(host, ":") {
		host = net.JoinHostPort(host, port)
		host = strings.TrimSuffix(host, ":") // an IPv6 literal without a port keeps its brackets only
	}
	return scheme + "://" + host
}

// envelope is the stored form of a bound secret.
type envelope struct {
	V      int    `json:"v"`
	Server string `json:"server"`
	Remote string `json:"remote"`
	Secret string `json:"secret"`
}

const envelopeVersion = 1

var errUnbound = errors.New("a secret needs a server and a remote account to be bound to")

// Seal wraps secret with the binding it belongs to.
func Seal(b Binding, secret string) (string, error) {
	b.Server = NormalizeServer(b.Server)
	if b.Server == "" || b.Remote == "" {
		return "", errUnbound
	}
	out, err := json.Marshal(envelope{V: envelopeVersion, Server: b.Server, Remote: b.Remote, Secret: secret})
	return string(out), err
}

// Unseal reads what Seal wrote. The error never quotes the value: it is a secret.
func Unseal(value string) (Binding, string, error) {
	var e envelope
	if err := json.Unmarshal([]byte(value), &e); err != nil || e.V != envelopeVersion || e.Server == "" || e.Remote == "" {
		return Binding{}, "", errors.New("the keychain entry is not a bound secret")
	}
	return Binding{Server: e.Server, Remote: e.Remote}, e.Secret, nil
}

// Vault keeps one workspace's account secrets, each sealed with the server
// and remote account it belongs to, and hands one out only for an account
// row that still names that server and that account: a database edited to
// point an account elsewhere never gets the token sent there.
type Vault struct {
	Secrets   backend.Secrets
	Workspace string // the workspace's id (setting workspace.id)
}

// Key names an account's entry in this workspace.
func (v Vault) Key(accountID int64, kind string) string { return Key(v.Workspace, accountID, kind) }

// Store seals secret with the account row's server and remote id and saves it.
func (v Vault) Store(ctx context.Context, acc backend.Account, kind, secret string) error {
	if err := v.check(); err != nil {
		return err
	}
	sealed, err := Seal(BindingOf(acc), secret)
	if err != nil {
		return backend.Errorf(backend.EInternal, "internal", "account %d: %v", acc.ID, err)
	}
	return v.Secrets.Set(ctx, v.Key(acc.ID, kind), sealed)
}

// Load returns the account's secret of kind: ENotFound when there is none,
// EAuth account.secret_mismatch when the stored secret belongs to another
// server or remote account than the row names (or cannot be read).
func (v Vault) Load(ctx context.Context, acc backend.Account, kind string) (string, error) {
	if err := v.check(); err != nil {
		return "", err
	}
	raw, err := v.Secrets.Get(ctx, v.Key(acc.ID, kind))
	if err != nil {
		return "", err
	}
	b, secret, err := Unseal(raw)
	if err != nil {
		return "", Mismatch(acc, "unreadable")
	}
	want := BindingOf(acc)
	switch {
	case want.Server == "" || b.Server != want.Server:
		return "", Mismatch(acc, "server")
	case b.Remote != want.Remote:
		return "", Mismatch(acc, "account")
	}
	return secret, nil
}

// Delete removes the account's entry of kind (a missing one is fine).
func (v Vault) Delete(ctx context.Context, accountID int64, kind string) error {
	if err := v.check(); err != nil {
		return err
	}
	return v.Secrets.Delete(ctx, v.Key(accountID, kind))
}

func (v Vault) check() error {
	if v.Secrets == nil || v.Workspace == "" {
		return backend.Errorf(backend.EInternal, "internal", "the keychain vault has no workspace id")
	}
	return nil
}

// Mismatch is the error for a secret that does not belong to the account
// row (reason: "server", "account" or "unreadable"). EAuth: the outbox
// pauses the account and the UI asks to connect it again.
func Mismatch(acc backend.Account, reason string) *backend.Error {
	return backend.Errorf(backend.EAuth, "account.secret_mismatch",
		"the saved login of %s belongs to another server or account than the one it now points to: connect it again", acc.Handle).
		WithParam("handle", acc.Handle).WithParam("reason", reason)
}
