package app

import (
	"context"
	"encoding/json"
	"log"
	"net/url"
	"strings"

	"pauta/backend"
	"pauta/backend/keychain"
	"pauta/backend/platform/bluesky"
	"pauta/backend/platform/mastodon"
)

// Account secrets live in the keychain under this workspace's id, sealed
// with the server and remote account they belong to (keychain.Vault). Older
// versions named them "account/<id>/<kind>" with no workspace: such a legacy
// entry is adopted only once it is proved to be this account's.

// secretKind is the kind of secret a connected account of network keeps.
func secretKind(n backend.Network) string {
	if n == backend.Bluesky {
		return keychain.KindSession
	}
	return keychain.KindToken
}

// accountSecret returns an account's secret of kind for use: the one this
// workspace stored for the row's server and remote account, or a legacy
// entry proved to be this account's (adopted on the way). A secret bound to
// another server or account is never returned: the account is marked
// "reconnect" and the error is EAuth, so the outbox pauses it.
func (a *App) accountSecret(ctx context.Context, acc backend.Account, kind string) (string, error) {
	s, err := a.vault.Load(ctx, acc, kind)
	if backend.ErrorCode(err) == backend.ENotFound {
		s, err = a.adoptLegacy(ctx, acc, kind)
	}
	if backend.ErrorCode(err) == backend.EAuth {
		a.markReconnect(ctx, acc.ID)
	}
	return s, err
}

// adoptLegacy moves a legacy entry into this workspace's name once it is
// verified to belong to acc. Offline (or a locked keychain) it returns that
// error and changes nothing: the next use tries again, the account is not
// marked broken. With no legacy entry it returns the not_found error.
//
// The legacy entry is left in place after adoption: another workspace (a
// copy of this one, a restored backup) may hold an account with the same
// number and the same remote account, and it needs the entry to migrate in
// turn. It goes when the account is removed (forgetSecrets).
func (a *App) adoptLegacy(ctx context.Context, acc backend.Account, kind string) (string, error) {
	a.adoptMu.Lock() // the start-up pass and the outbox may reach the same account
	defer a.adoptMu.Unlock()
	if s, err := a.vault.Load(ctx, acc, kind); backend.ErrorCode(err) != backend.ENotFound {
		return s, err // adopted meanwhile, or an answer of its own
	}
	raw, err := a.secrets.Get(ctx, keychain.LegacyKey(acc.ID, kind))
	if err != nil {
		return "", err
	}
	if err := a.verifyLegacy(ctx, acc, kind, raw); err != nil {
		return "", err
	}
	if err := a.vault.Store(ctx, acc, kind, raw); err != nil {
		return "", err
	}
	log.Printf("keychain: account %d's login moved to this workspace's entry", acc.ID)
	return raw, nil
}

// verifyLegacy proves a legacy secret is acc's. Legacy entries are shared by
// every workspace, so the one under this number may be another workspace's
// account's: a Mastodon token must log in, on the row's instance, as the
// row's remote account; a Bluesky session must be the row's DID on the
// row's server.
func (a *App) verifyLegacy(ctx context.Context, acc backend.Account, kind, raw string) error {
	switch kind {
	case keychain.KindToken:
		// The handle was written at connect time from the instance the token
		// was made for: a row whose server was changed since gets nothing sent.
		if !strings.EqualFold(handleHost(acc.Handle), hostOf(acc.ServiceURL)) {
			return keychain.Mismatch(acc, "server")
		}
		c, err := mastodon.New(acc.ServiceURL, raw, a.http, a.cfg.Clock)
		if err != nil {
			return keychain.Mismatch(acc, "server")
		}
		who, err := c.Verify(ctx)
		switch backend.ErrorCode(err) {
		case "":
		case backend.ETransient, backend.ERateLimited, backend.EUnavailable:
			return err // cannot tell now: try again later
		default: // refused there, or not a Mastodon answer: not this account's token
			return keychain.Mismatch(acc, "account")
		}
		if who.ID != acc.RemoteID {
			return keychain.Mismatch(acc, "account")
		}
		return nil
	case keychain.KindSession:
		var s bluesky.Session
		if json.Unmarshal([]byte(raw), &s) != nil {
			return keychain.Mismatch(acc, "unreadable")
		}
		if s.DID == "" || s.DID != acc.RemoteID {
			return keychain.Mismatch(acc, "account")
		}
		if !pdsFits(s.PDS, acc.ServiceURL) {
			return keychain.Mismatch(acc, "server")
		}
		return nil
	}
	return keychain.Mismatch(acc, "unreadable")
}

// pdsFits tells whether a session whose repo lives on pds can belong to an
// account connected through service: the same server, or Bluesky's own
// entryway in front of one of Bluesky's PDS hosts.
func pdsFits(pds, service string) bool {
	p, s := keychain.NormalizeServer(pds), keychain.NormalizeServer(service)
	if pds == "" {
		return s != "" // older sessions without a PDS used the service itself
	}
	if p == "" || s == "" {
		return false
	}
	if p == s {
		return true
	}
	return s == keychain.NormalizeServer(bluesky.DefaultService) && strings.HasPrefix(p, "https://") && strings.HasSuffix(p, ".bsky.network")
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Host
}

// handleHost is the server part of "@user@host".
func handleHost(h string) string {
	if i := strings.LastIndex(h, "@"); i > 0 {
		return h[i+1:]
	}
	return ""
}

// markReconnect shows a connected account as "reconnect" (its secret was
// refused or belongs elsewhere).
func (a *App) markReconnect(ctx context.Context, id int64) {
	acc, err := a.store.GetAccount(ctx, id)
	if err != nil || acc.Connection != backend.ConnConnected {
		return
	}
	acc.Connection = backend.ConnReconnect
	if a.store.UpdateAccountConnection(ctx, acc) == nil {
		a.emitter.Emit(EventClientsChanged)
	}
}

// migrateSecrets adopts the legacy entries of this workspace's connected
// accounts, in the background at start, so the check (one verify_credentials
// per Mastodon account) is not paid by the first publish. Each keychain call
// has its own deadline; whatever cannot be decided now is retried at first use.
func (a *App) migrateSecrets(ctx context.Context) {
	accs, err := a.store.ListAccounts(ctx, 0)
	if err != nil {
		return
	}
	for _, acc := range accs {
		if ctx.Err() != nil {
			return
		}
		if acc.Connection != backend.ConnConnected || (acc.Network != backend.Mastodon && acc.Network != backend.Bluesky) {
			continue
		}
		if _, err := a.accountSecret(ctx, acc, secretKind(acc.Network)); err != nil && backend.ErrorCode(err) != backend.EAuth {
			log.Printf("keychain: account %d not migrated yet: %s", acc.ID, backend.ErrorCode(err))
		}
	}
}

// mastodonClient is a client for a connected Mastodon account, with the
// token from the keychain; none is built with a token bound elsewhere.
func (a *App) mastodonClient(ctx context.Context, acc backend.Account) (*mastodon.Client, error) {
	tok, err := a.accountSecret(ctx, acc, keychain.KindToken)
	if err != nil {
		return nil, err
	}
	return mastodon.New(acc.ServiceURL, tok, a.http, a.cfg.Clock)
}

// blueskyClient is a client for a connected Bluesky account whose session
// lives in the keychain (read, bound-checked, at its first call).
func (a *App) blueskyClient(acc backend.Account) (*bluesky.Client, error) {
	return bluesky.New(acc.ServiceURL, a.http, a.cfg.Clock, accountSessions{app: a, acc: acc})
}

// inboxFetcher reads a connected account's notifications and threads (the
// inbox's sync): a Mastodon or Bluesky client with the keychain's secret.
// Networks without an inbox reader answer nil, nil (the sync skips them).
func (a *App) inboxFetcher(ctx context.Context, acc backend.Account) (backend.InboxFetcher, error) {
	switch acc.Network {
	case backend.Mastodon:
		return a.mastodonClient(ctx, acc)
	case backend.Bluesky:
		return a.blueskyClient(acc)
	}
	return nil, nil
}

// accountSessions is a Bluesky SessionStore over the vault: a refreshed
// session is saved sealed with the same server and account.
type accountSessions struct {
	app *App
	acc backend.Account
}

func (s accountSessions) Load(ctx context.Context) (bluesky.Session, error) {
	v, err := s.app.accountSecret(ctx, s.acc, keychain.KindSession)
	if err != nil {
		return bluesky.Session{}, err
	}
	var sess bluesky.Session
	if json.Unmarshal([]byte(v), &sess) != nil {
		// Never echo the value: it is a secret.
		return bluesky.Session{}, backend.Errorf(backend.ENotFound, "keychain.not_found", "the stored Bluesky session is unreadable: connect the account again")
	}
	return sess, nil
}

func (s accountSessions) Save(ctx context.Context, sess bluesky.Session) error {
	if sess.DID != s.acc.RemoteID {
		return keychain.Mismatch(s.acc, "account")
	}
	b, err := json.Marshal(sess)
	if err != nil {
		return err
	}
	return s.app.vault.Store(ctx, s.acc, keychain.KindSession, string(b))
}

// forgetSecrets removes an account's keychain entries (on account removal):
// this workspace's, and the legacy one when it demonstrably holds this
// account's secret (the one adopted, or a session of the same DID). A legacy
// entry that may be another workspace's account's is left to it.
func (a *App) forgetSecrets(ctx context.Context, acc *backend.Account) error {
	if acc.Connection == backend.ConnManual {
		return nil
	}
	for _, kind := range []string{keychain.KindToken, keychain.KindSession} {
		legacy := keychain.LegacyKey(acc.ID, kind)
		raw, err := a.secrets.Get(ctx, legacy)
		switch {
		case backend.ErrorCode(err) == backend.ENotFound:
		case err != nil:
			return err
		default:
			ours := false
			if cur, err := a.vault.Load(ctx, *acc, kind); err == nil {
				ours = cur == raw
			} else if kind == keychain.KindSession {
				var s bluesky.Session
				ours = json.Unmarshal([]byte(raw), &s) == nil && s.DID != "" && s.DID == acc.RemoteID
			}
			if ours {
				if err := a.secrets.Delete(ctx, legacy); err != nil {
					return err
				}
			}
		}
		if err := a.vault.Delete(ctx, acc.ID, kind); err != nil && backend.ErrorCode(err) != backend.ENotFound {
			return err
		}
	}
	return nil
}
