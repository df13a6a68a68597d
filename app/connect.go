package app

import (
	"context"
	"errors"

	"pauta/backend"
	"pauta/backend/keychain"
	"pauta/backend/platform/bluesky"
	"pauta/backend/platform/mastodon"
)

// ConnectService is bound to the frontend: it connects Mastodon and Bluesky
// accounts. Tokens go to the OS keychain only; the database keeps where the
// account lives and what its server allows.
type ConnectService struct{ app *App }

// MastodonInput is the connect form for Mastodon. AccountID ≠ 0 reconnects
// an existing account with a new token.
type MastodonInput struct {
	ClientID    int64  `json:"clientId"`
	AccountID   int64  `json:"accountId"`
	InstanceURL string `json:"instanceUrl"`
	Token       string `json:"token"`
}

// BlueskyInput is the connect form for Bluesky: a handle or e-mail and an
// app password (not the main password).
type BlueskyInput struct {
	ClientID    int64  `json:"clientId"`
	AccountID   int64  `json:"accountId"`
	Service     string `json:"service"` // "" = https://bsky.social
	Identifier  string `json:"identifier"`
	AppPassword string `json:"appPassword"`
}

// ConnectMastodon checks the instance and the token, then saves the account
// and puts the token in the keychain. Nothing is stored when a step fails.
func (s *ConnectService) ConnectMastodon(in MastodonInput) (backend.Account, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	if in.Token == "" {
		return backend.Account{}, backend.Errorf(backend.EInvalid, "mastodon.token_required", "paste the access token").WithField("token")
	}
	c, err := mastodon.New(in.InstanceURL, in.Token, s.app.http, s.app.cfg.Clock)
	if err != nil {
		return backend.Account{}, err
	}
	inst, err := c.Instance(ctx)
	if err != nil {
		return backend.Account{}, err
	}
	who, err := c.Verify(ctx)
	if err != nil {
		return backend.Account{}, withField(err, "token")
	}
	a := backend.Account{ID: in.AccountID, ClientID: in.ClientID, Network: backend.Mastodon, Handle: who.Handle,
		DisplayName: who.DisplayName, Connection: backend.ConnConnected, ServiceURL: c.BaseURL, RemoteID: who.ID,
		Limits: backend.AccountLimits{MaxCharacters: inst.MaxCharacters, URLCharacters: inst.CharactersReservedPerURL, MaxMedia: inst.MaxMediaAttachments,
			ImageSizeLimit: inst.ImageSizeLimit, ImageMatrixLimit: inst.ImageMatrixLimit, DescriptionLimit: inst.DescriptionLimit}}
	if a.DisplayName == "" {
		a.DisplayName = who.Username
	}
	a.ServerSchedules, a.SchedulesProbedAt = probeSchedules(ctx, c, s.app.cfg.Clock) // remote.go
	return s.save(ctx, &a, func(ctx context.Context, acc backend.Account) error {
		return s.app.vault.Store(ctx, acc, keychain.KindToken, in.Token)
	})
}

// ConnectBluesky logs in with an app password, then saves the account and
// puts the session in the keychain.
func (s *ConnectService) ConnectBluesky(in BlueskyInput) (backend.Account, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	mem := &memSessions{}
	c, err := bluesky.New(in.Service, s.app.http, s.app.cfg.Clock, mem)
	if err != nil {
		return backend.Account{}, err
	}
	id, err := c.Login(ctx, bluesky.NormalizeIdentifier(in.Identifier), in.AppPassword)
	if err != nil {
		var e *backend.Error
		if errors.As(err, &e) && e.Field == "password" {
			e.Field = "appPassword" // the form's name for it
		}
		return backend.Account{}, withField(err, "appPassword")
	}
	sess, err := mem.Load(ctx)
	if err != nil {
		return backend.Account{}, err
	}
	a := backend.Account{ID: in.AccountID, ClientID: in.ClientID, Network: backend.Bluesky, Handle: "@" + id.Handle, DisplayName: id.Handle,
		Connection: backend.ConnConnected, ServiceURL: c.Service, RemoteID: id.DID}
	return s.save(ctx, &a, func(ctx context.Context, acc backend.Account) error {
		return accountSessions{app: s.app, acc: acc}.Save(ctx, sess)
	})
}

// save creates or updates the account row and stores the secret, bound to
// the row's server and remote account; if the keychain refuses, a new
// account row is removed again.
func (s *ConnectService) save(ctx context.Context, a *backend.Account, storeSecret func(context.Context, backend.Account) error) (backend.Account, error) {
	st := s.app.store
	created := a.ID == 0
	if created {
		if err := st.CreateAccount(ctx, a); err != nil {
			return backend.Account{}, err
		}
	} else {
		old, err := st.GetAccount(ctx, a.ID)
		if err != nil {
			return backend.Account{}, err
		}
		if old.Network != a.Network || old.ClientID != a.ClientID {
			return backend.Account{}, backend.Errorf(backend.EInvalid, "account.reconnect_mismatch", "reconnect this account with the same network")
		}
	}
	if err := storeSecret(ctx, *a); err != nil {
		if created {
			_ = st.DeleteAccount(ctx, a.ID)
		}
		return backend.Account{}, err
	}
	if err := st.UpdateAccountConnection(ctx, a); err != nil {
		return backend.Account{}, err
	}
	got, err := st.GetAccount(ctx, a.ID)
	if err != nil {
		return backend.Account{}, err
	}
	if !created { // a reconnected account's waiting posts may go again
		if err := s.app.outbox.Resume(ctx, a.ID); err != nil {
			return backend.Account{}, err
		}
	}
	if s.app.inboxSync != nil { // its inbox is read at once (and a refused token or scope is forgotten)
		if err := s.app.inboxSync.Reset(ctx, a.ID); err != nil {
			return backend.Account{}, err
		}
	}
	s.app.emitter.Emit(EventClientsChanged)
	return *got, nil
}

// Check verifies a connected account's token; a refused token marks the
// account "reconnect" (its posts wait) and is answered as an auth error.
func (s *ConnectService) Check(accountID int64) (backend.Account, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	a, err := s.app.store.GetAccount(ctx, accountID)
	if err != nil {
		return backend.Account{}, err
	}
	if a.Connection == backend.ConnManual {
		return *a, nil
	}
	var checkErr error
	switch a.Network {
	case backend.Mastodon:
		c, err := s.app.mastodonClient(ctx, *a)
		if err != nil {
			checkErr = err
			break
		}
		_, checkErr = c.Verify(ctx)
	case backend.Bluesky:
		c, err := s.app.blueskyClient(*a)
		if err != nil {
			return backend.Account{}, err
		}
		_, checkErr = c.Identity(ctx)
	}
	code := backend.ErrorCode(checkErr)
	if checkErr != nil && code != backend.EAuth && code != backend.ENotFound {
		return *a, checkErr // offline or keychain trouble: say so, change nothing
	}
	want := backend.ConnConnected
	if checkErr != nil {
		want = backend.ConnReconnect
	}
	if a.Connection != want {
		a.Connection = want
		if err := s.app.store.UpdateAccountConnection(ctx, a); err != nil {
			return backend.Account{}, err
		}
		s.app.emitter.Emit(EventClientsChanged)
	}
	if checkErr != nil {
		return *a, backend.Errorf(backend.EAuth, "account.reconnect", "%s needs to be connected again", a.Handle).WithParam("handle", a.Handle)
	}
	return *a, nil
}

func withField(err error, field string) error {
	var e *backend.Error
	if errors.As(err, &e) && e.Field == "" && (e.Code == backend.EAuth || e.Code == backend.EInvalid) {
		e.Field = field
	}
	return err
}

// memSessions holds a Bluesky session in memory until the account row exists.
type memSessions struct{ s *bluesky.Session }

func (m *memSessions) Load(context.Context) (bluesky.Session, error) {
	if m.s == nil {
		return bluesky.Session{}, backend.Errorf(backend.ENotFound, "bluesky.not_connected", "not logged in")
	}
	return *m.s, nil
}

func (m *memSessions) Save(_ context.Context, s bluesky.Session) error { m.s = &s; return nil }
