package app

import (
	"context"
	"log"
	"strconv"

	"pauta/backend"
)

// ClientService is bound to the frontend: clients and their accounts.
type ClientService struct{ app *App }

// Workspace is every client with every account, for the sidebar and composer.
type Workspace struct {
	Clients  []backend.Client  `json:"clients"`
	Accounts []backend.Account `json:"accounts"`
	// AccountChoices: per client (id as a string key), the accounts a new
	// post starts with, when a choice was made (else all of them).
	AccountChoices map[string][]int64 `json:"accountChoices"`
}

// Workspace returns clients (archived too when asked) and all accounts.
func (s *ClientService) Workspace(includeArchived bool) (Workspace, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	return s.app.workspace(ctx, includeArchived)
}

func (a *App) workspace(ctx context.Context, includeArchived bool) (Workspace, error) {
	cs, err := a.store.ListClients(ctx, includeArchived)
	if err != nil {
		return Workspace{}, err
	}
	as, err := a.store.ListAccounts(ctx, 0)
	if err != nil {
		return Workspace{}, err
	}
	choices := map[string][]int64{}
	for _, c := range cs {
		ids, known, err := a.store.AccountChoice(ctx, c.ID)
		if err != nil {
			return Workspace{}, err
		}
		if known {
			choices[strconv.FormatInt(c.ID, 10)] = ids
		}
	}
	return Workspace{Clients: cs, Accounts: as, AccountChoices: choices}, nil
}

// ClientInput is the client form.
type ClientInput struct {
	ID           int64    `json:"id"`
	Name         string   `json:"name"`
	Color        string   `json:"color"`
	TimeZone     string   `json:"timeZone"`
	Language     string   `json:"language"`
	Guidelines   string   `json:"guidelines"`
	BannedWords  []string `json:"bannedWords"`
	RequiredTags []string `json:"requiredTags"`
	// RequireApproval: nil keeps the client's setting (a form without it).
	RequireApproval *bool `json:"requireApproval,omitempty"`
}

// Save creates (ID 0) or updates a client.
func (s *ClientService) Save(in ClientInput) (backend.Client, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	c := backend.Client{ID: in.ID, Name: in.Name, Color: in.Color, TimeZone: in.TimeZone, Language: in.Language, Guidelines: in.Guidelines,
		BannedWords: in.BannedWords, RequiredTags: in.RequiredTags}
	var err error
	if in.ID == 0 {
		c.RequireApproval = in.RequireApproval != nil && *in.RequireApproval
		err = s.app.store.CreateClient(ctx, &c)
	} else {
		var old *backend.Client
		if old, err = s.app.store.GetClient(ctx, in.ID); err != nil {
			return backend.Client{}, err
		}
		c.Archived, c.RequireApproval = old.Archived, old.RequireApproval
		if in.RequireApproval != nil {
			c.RequireApproval = *in.RequireApproval
		}
		err = s.app.store.UpdateClient(ctx, &c)
	}
	if err != nil {
		return backend.Client{}, err
	}
	s.app.emitter.Emit(EventClientsChanged)
	if in.RequireApproval != nil { // the posts' approval chips and the outbox follow
		s.app.emitter.Emit(EventPostsChanged)
		s.app.outbox.Wake()
	}
	return c, nil
}

// SetArchived archives or restores a client; its posts stay.
func (s *ClientService) SetArchived(id int64, archived bool) error {
	ctx, cancel := s.app.call()
	defer cancel()
	if err := s.app.store.SetClientArchived(ctx, id, archived); err != nil {
		return err
	}
	s.app.emitter.Emit(EventClientsChanged)
	s.app.emitter.Emit(EventPostsChanged)
	return nil
}

// AccountInput is the add-account form.
type AccountInput struct {
	ClientID    int64  `json:"clientId"`
	Network     string `json:"network"`
	Handle      string `json:"handle"`
	DisplayName string `json:"displayName"`
}

// AddAccount adds an account to a client.
func (s *ClientService) AddAccount(in AccountInput) (backend.Account, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	a := backend.Account{ClientID: in.ClientID, Network: backend.Network(in.Network), Handle: in.Handle, DisplayName: in.DisplayName}
	if err := s.app.store.CreateAccount(ctx, &a); err != nil {
		return backend.Account{}, err
	}
	s.app.emitter.Emit(EventClientsChanged)
	return a, nil
}

// RemoveAccount removes an account; its scheduled posts with no other account become drafts.
func (s *ClientService) RemoveAccount(id int64) error {
	ctx, cancel := s.app.call()
	defer cancel()
	acc, err := s.app.store.GetAccount(ctx, id)
	if err != nil {
		return err
	}
	// Its posts scheduled on the instance are cancelled while the token is
	// still there (best effort: offline they stay on the instance).
	if err := s.app.outbox.CancelRemoteAccount(ctx, *acc); err != nil {
		// Offline: removing it now would leave posts the instance still
		// publishes, with nothing in Pauta to show them. The user retries
		// online. Other failures (a revoked token) cannot improve by waiting.
		if c := backend.ErrorCode(err); c == backend.ETransient || c == backend.ERateLimited || c == backend.EUnavailable {
			return backend.Errorf(backend.EUnavailable, "account.remote_cancel_offline",
				"%s has posts scheduled on its server and Pauta cannot reach it to cancel them; connect and try again, or cancel them on the website first", acc.Handle).
				WithParam("handle", acc.Handle)
		}
		log.Printf("remove account %d: server-side schedules not cancelled: %v", id, err)
	}
	// The keychain entry goes first: an account is never removed while its
	// token stays behind.
	if err := s.app.forgetSecrets(ctx, acc); err != nil {
		return err
	}
	if err := s.app.store.DeleteAccount(ctx, id); err != nil {
		return err
	}
	s.app.dropHostIfUnused(ctx, accountHost(*acc))
	s.app.emitter.Emit(EventClientsChanged)
	s.app.emitter.Emit(EventPostsChanged)
	return nil
}

// Networks lists the supported networks in display order.
func (s *ClientService) Networks() []string {
	out := make([]string, len(backend.Networks))
	for i, n := range backend.Networks {
		out[i] = string(n)
	}
	return out
}

// dropHostIfUnused takes a removed account's server out of the online
// indicator unless another account still publishes there.
func (a *App) dropHostIfUnused(ctx context.Context, host string) {
	if host == "" {
		return
	}
	accs, err := a.store.ListAccounts(ctx, 0)
	if err != nil {
		return // the entry only ages: harmless
	}
	for _, o := range accs {
		if accountHost(o) == host {
			return
		}
	}
	a.outbox.DropHost(host)
}

// AccountChoice is the accounts the composer preselects for a new post of
// the client: the last choice (SetAccountChoice), else all of its accounts.
func (s *ClientService) AccountChoice(clientID int64) ([]int64, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	ids, known, err := s.app.store.AccountChoice(ctx, clientID)
	if err != nil || known {
		return ids, err
	}
	accs, err := s.app.store.ListAccounts(ctx, clientID)
	if err != nil {
		return nil, err
	}
	ids = []int64{}
	for _, a := range accs {
		ids = append(ids, a.ID)
	}
	return ids, nil
}

// SetAccountChoice remembers the accounts picked for a new post of the client.
func (s *ClientService) SetAccountChoice(clientID int64, ids []int64) error {
	ctx, cancel := s.app.call()
	defer cancel()
	return s.app.store.SetAccountChoice(ctx, clientID, ids)
}
