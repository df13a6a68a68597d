// Package keychain keeps Pauta's tokens in the operating system's keychain
// (Secret Service on Linux, Keychain on macOS, Credential Manager on
// Windows) through go-keyring. Every call has a deadline, because a
// Secret Service call can hang on D-Bus (a prompt nobody answers, a stuck
// daemon). There is deliberately no plaintext fallback.
package keychain

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/zalando/go-keyring"

	"pauta/backend"
)

// Kinds of secrets kept per account.
const (
	KindToken   = "token"   // Mastodon personal access token
	KindSession = "session" // Bluesky session (access + refresh JWT)
)

// Key names the keychain entry holding one kind of secret for an account of
// one workspace: "workspace/<id>/account/42/token". Account numbers repeat
// across workspaces (a demo beside the real one, a second --data-dir), so
// the workspace's id is part of every name.
func Key(workspace string, accountID int64, kind string) string {
	return fmt.Sprintf("workspace/%s/account/%d/%s", workspace, accountID, kind)
}

// LegacyKey is the name versions before workspace-bound secrets used
// ("account/42/token"), shared by every workspace: read only to migrate.
func LegacyKey(accountID int64, kind string) string {
	return fmt.Sprintf("account/%d/%s", accountID, kind)
}

// Backend is the keychain Pauta talks to; go-keyring by default. Tests use
// go-keyring's mock (keyring.MockInit) or their own.
type Backend interface {
	Set(service, user, password string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

// Options tune New. The zero value is what the app wants.
type Options struct {
	// Timeout bounds each call (default 10 s: long enough for a desktop
	// unlock prompt, short enough not to freeze a publish).
	Timeout time.Duration
	// Backend replaces go-keyring (tests).
	Backend Backend
}

// DefaultTimeout is the per-call deadline when Options.Timeout is zero.
const DefaultTimeout = 10 * time.Second

// Keychain implements backend.Secrets for one service name ("Pauta").
type Keychain struct {
	service string
	timeout time.Duration
	backend Backend
}

var _ backend.Secrets = (*Keychain)(nil)

// New returns a keychain storing entries under service.
func New(service string, opts Options) *Keychain {
	k := &Keychain{service: service, timeout: opts.Timeout, backend: opts.Backend}
	if k.timeout <= 0 {
		k.timeout = DefaultTimeout
	}
	if k.backend == nil {
		k.backend = goKeyring{}
	}
	return k
}

// Set stores value under key, replacing what was there.
func (k *Keychain) Set(ctx context.Context, key, value string) error {
	_, err := k.call(ctx, "store", key, func() (string, error) { return "", k.backend.Set(k.service, key, value) })
	return err
}

// Get reads the value under key: a not_found *backend.Error when missing.
func (k *Keychain) Get(ctx context.Context, key string) (string, error) {
	return k.call(ctx, "read", key, func() (string, error) { return k.backend.Get(k.service, key) })
}

// Delete removes key. A missing entry is not an error: removing an account
// whose secret is already gone must succeed.
func (k *Keychain) Delete(ctx context.Context, key string) error {
	_, err := k.call(ctx, "delete", key, func() (string, error) { return "", k.backend.Delete(k.service, key) })
	if backend.ErrorCode(err) == backend.ENotFound {
		return nil
	}
	return err
}

type result struct {
	v   string
	err error
}

// call runs f in a goroutine and gives up at the deadline. A hung D-Bus call
// leaves its goroutine behind until D-Bus answers; that is the price of not
// freezing the app, and it is rare.
func (k *Keychain) call(ctx context.Context, op, key string, f func() (string, error)) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, k.timeout)
	defer cancel()
	done := make(chan result, 1) // buffered: a late answer must not block the goroutine forever
	go func() {
		v, err := f()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return "", classify(op, key, r.err)
		}
		return r.v, nil
	case <-ctx.Done():
		e := backend.Errorf(backend.EUnavailable, "keychain.unavailable",
			"the system keychain did not answer (%s %s): %s", op, key, hint()).
			WithParam("reason", "timeout").WithParam("hint", hint())
		return "", &Error{Err: e, Cause: ctx.Err()}
	}
}

// Error keeps the go-keyring cause behind a domain error (errors.As finds
// the *backend.Error, errors.Is finds keyring.ErrNotFound).
type Error struct {
	Err   *backend.Error
	Cause error
}

func (e *Error) Error() string   { return e.Err.Message }
func (e *Error) Unwrap() []error { return []error{e.Err, e.Cause} }

func classify(op, key string, err error) error {
	var be *backend.Error
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		be = backend.Errorf(backend.ENotFound, "keychain.not_found", "no keychain entry %s", key).WithParam("key", key)
	case errors.Is(err, keyring.ErrSetDataTooBig):
		be = backend.Errorf(backend.EInvalid, "keychain.too_big", "the secret for %s is too big for the system keychain", key)
	case locked(err):
		be = backend.Errorf(backend.EUnavailable, "keychain.locked",
			"the system keychain is locked (%s %s): unlock it (log in to the desktop session, or unlock the \"Login\" keyring in Passwords and Keys / KWallet) and try again", op, key).
			WithParam("reason", "locked")
	default:
		be = backend.Errorf(backend.EUnavailable, "keychain.unavailable",
			"the system keychain is not available (%s %s: %v): %s", op, key, err, hint()).
			WithParam("reason", "unavailable").WithParam("hint", hint())
	}
	return &Error{Err: be, Cause: err}
}

// locked recognises go-keyring's answer for a collection it could not
// unlock (a locked login keyring, or a dismissed unlock prompt).
func locked(err error) bool {
	s := err.Error()
	return strings.Contains(s, "failed to unlock correct collection") || strings.Contains(s, "prompt dismissed")
}

// hint says how to get a keychain on this system.
func hint() string {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
		return "Pauta keeps tokens only in a Secret Service keychain: install and start gnome-keyring (or KWallet with its Secret Service) in your desktop session and unlock it"
	case "darwin":
		return "unlock your login keychain in Keychain Access"
	case "windows":
		return "make sure the Credential Manager service is running"
	}
	return "this system has no supported keychain"
}

// goKeyring is the real thing. On Linux it refuses to run without a session
// bus: godbus would otherwise autolaunch a private dbus-daemon and a
// D-Bus-activated gnome-keyring that can never be unlocked.
type goKeyring struct{}

var errNoSessionBus = errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)")

func (goKeyring) check() error {
	if runtime.GOOS != "linux" || os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return nil
	}
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
		if _, err := os.Stat(filepath.Join(d, "bus")); err == nil {
			return nil // godbus finds the systemd user bus there
		}
	}
	return errNoSessionBus
}

func (g goKeyring) Set(service, user, password string) error {
	if err := g.check(); err != nil {
		return err
	}
	return keyring.Set(service, user, password)
}

func (g goKeyring) Get(service, user string) (string, error) {
	if err := g.check(); err != nil {
		return "", err
	}
	return keyring.Get(service, user)
}

func (g goKeyring) Delete(service, user string) error {
	if err := g.check(); err != nil {
		return err
	}
	return keyring.Delete(service, user)
}
