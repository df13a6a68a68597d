package bluesky

// Sessions: logging in with an app password, the stored session (tokens
// only in the SessionStore), and refreshing it when the access token
// expires, once for concurrent callers.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"pauta/backend"
	"pauta/backend/platform/httpx"
)

type sessionAnswer struct {
	DID        string          `json:"did"`
	Handle     string          `json:"handle"`
	AccessJWT  string          `json:"accessJwt"`
	RefreshJWT string          `json:"refreshJwt"`
	DIDDoc     json.RawMessage `json:"didDoc"`
	Active     *bool           `json:"active"`
	Status     string          `json:"status"`
}

// Login creates a session with an app password and saves it. A wrong
// password is EAuth bluesky.bad_password; a handle that does not exist is
// EInvalid bluesky.handle_unresolved; an account asking for an e-mail code
// (the main password was used) is EAuth bluesky.app_password_required.
func (c *Client) Login(ctx context.Context, identifier, appPassword string) (Identity, error) {
	identifier = NormalizeIdentifier(identifier)
	if identifier == "" || appPassword == "" {
		return Identity{}, backend.Errorf(backend.EInvalid, "bluesky.credentials_required", "enter the handle and an app password").WithField("identifier")
	}
	body, _ := json.Marshal(map[string]string{"identifier": identifier, "password": appPassword})
	var a sessionAnswer
	err := c.xrpc(ctx, c.Service, http.MethodPost, "com.atproto.server.createSession", nil, "application/json", body, "", &a, appPassword)
	if err != nil {
		return Identity{}, fmt.Errorf("log in to bluesky: %w", c.loginError(ctx, err, identifier))
	}
	if a.Active != nil && !*a.Active {
		return Identity{}, backend.Errorf(backend.EAuth, "bluesky.account_inactive", "the Bluesky account is %s", firstNonEmpty(a.Status, "not active")).WithParam("status", a.Status)
	}
	s, err := c.newSession(a)
	if err != nil {
		return Identity{}, fmt.Errorf("log in to bluesky: %w", err)
	}
	if err := c.save(ctx, s); err != nil {
		return Identity{}, fmt.Errorf("log in to bluesky: save session: %w", err)
	}
	return Identity{DID: s.DID, Handle: s.Handle, PDS: s.PDS}, nil
}

func (c *Client) loginError(ctx context.Context, err error, identifier string) error {
	e := backend.AsError(err)
	switch e.Params["error"] {
	case "AuthFactorTokenRequired":
		return httpx.Wrap(backend.Errorf(backend.EAuth, "bluesky.app_password_required",
			"Bluesky asked for a sign-in code: use an app password (Settings → Privacy and security → App passwords), not the account password").WithField("password"), err)
	case "AccountTakedown", "AccountDeactivated":
		return httpx.Wrap(backend.Errorf(backend.EAuth, "bluesky.account_inactive", "the Bluesky account is suspended or deactivated").WithParam("status", e.Params["error"]), err)
	}
	if e.Code != backend.EAuth {
		return err
	}
	// Wrong password or unknown handle look the same to createSession: ask
	// the server whether the handle exists to say which.
	if ValidHandle(identifier) {
		if _, rerr := c.ResolveHandle(ctx, c.Service, identifier); backend.ErrorCode(rerr) == backend.ENotFound {
			return httpx.Wrap(backend.Errorf(backend.EInvalid, "bluesky.handle_unresolved", "the handle %s does not exist", identifier).
				WithField("identifier").WithParam("handle", identifier), err)
		}
	}
	return httpx.Wrap(backend.Errorf(backend.EAuth, "bluesky.bad_password", "wrong handle or app password").WithField("password"), err)
}

// newSession builds a Session from a createSession/refreshSession answer,
// taking the PDS from the DID document (falling back to the service).
func (c *Client) newSession(a sessionAnswer) (Session, error) {
	if a.DID == "" || a.AccessJWT == "" || a.RefreshJWT == "" {
		return Session{}, badAnswer(hostOf(c.Service))
	}
	pds := c.Service
	if ep := pdsEndpoint(a.DIDDoc); ep != "" {
		if u, err := httpx.BaseURL(ep); err == nil {
			pds = u.String()
		}
	}
	return Session{DID: a.DID, Handle: a.Handle, PDS: pds, AccessJWT: a.AccessJWT, RefreshJWT: a.RefreshJWT}, nil
}

// pdsEndpoint reads the #atproto_pds service from a DID document.
func pdsEndpoint(doc json.RawMessage) string {
	if len(doc) == 0 {
		return ""
	}
	var d struct {
		ID      string `json:"id"`
		Service []struct {
			ID       string `json:"id"`
			Type     string `json:"type"`
			Endpoint any    `json:"serviceEndpoint"`
		} `json:"service"`
	}
	if json.Unmarshal(doc, &d) != nil {
		return ""
	}
	for _, s := range d.Service {
		if s.ID == "#atproto_pds" || s.ID == d.ID+"#atproto_pds" {
			if ep, ok := s.Endpoint.(string); ok {
				return ep
			}
		}
	}
	return ""
}

// Identity returns the stored session's account, without tokens.
func (c *Client) Identity(ctx context.Context) (Identity, error) {
	s, err := c.current(ctx)
	if err != nil {
		return Identity{}, err
	}
	return Identity{DID: s.DID, Handle: s.Handle, PDS: s.PDS}, nil
}

// current returns the session, loading it from the store on first use.
func (c *Client) current(ctx context.Context) (Session, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.session != nil {
		return *c.session, nil
	}
	if c.Sessions == nil {
		return Session{}, notConnected()
	}
	s, err := c.Sessions.Load(ctx)
	if backend.ErrorCode(err) == backend.ENotFound {
		return Session{}, httpx.Wrap(notConnected(), err)
	}
	if err != nil {
		return Session{}, fmt.Errorf("load bluesky session: %w", err)
	}
	if s.DID == "" || s.RefreshJWT == "" {
		return Session{}, notConnected()
	}
	if s.PDS == "" {
		s.PDS = c.Service
	}
	c.session = &s
	return s, nil
}

func notConnected() *backend.Error {
	return backend.Errorf(backend.EAuth, "bluesky.not_connected", "the Bluesky account is not connected: connect it again")
}

func (c *Client) save(ctx context.Context, s Session) error {
	if c.Sessions != nil {
		if err := c.Sessions.Save(ctx, s); err != nil {
			return err
		}
	}
	c.mu.Lock()
	c.session = &s
	c.mu.Unlock()
	return nil
}

// refresh rotates the session with refreshSession and persists the new
// refresh token before anything else uses it. used is the access token
// that expired: if another call already refreshed, its result is reused.
func (c *Client) refresh(ctx context.Context, used string) (Session, error) {
	c.refreshMu.Lock()
	defer c.refreshMu.Unlock()
	c.mu.Lock()
	if c.session != nil && c.session.AccessJWT != used {
		s := *c.session
		c.mu.Unlock()
		return s, nil
	}
	var old Session
	if c.session != nil {
		old = *c.session
	}
	c.mu.Unlock()
	if old.RefreshJWT == "" {
		return Session{}, notConnected()
	}
	var a sessionAnswer
	err := c.xrpc(ctx, c.Service, http.MethodPost, "com.atproto.server.refreshSession", nil, "", nil, old.RefreshJWT, &a)
	if err != nil {
		if e := backend.AsError(err); e.Code == backend.EAuth || e.Code == backend.EInvalid {
			return Session{}, httpx.Wrap(backend.Errorf(backend.EAuth, "bluesky.session_expired", "the Bluesky session has expired: connect the account again"), err)
		}
		return Session{}, fmt.Errorf("refresh bluesky session: %w", err)
	}
	if a.DID == "" {
		a.DID = old.DID
	}
	if a.Handle == "" {
		a.Handle = old.Handle
	}
	s, err := c.newSession(a)
	if err != nil {
		return Session{}, err
	}
	if len(a.DIDDoc) == 0 {
		s.PDS = old.PDS
	}
	if err := c.save(ctx, s); err != nil {
		return Session{}, fmt.Errorf("save refreshed bluesky session: %w", err)
	}
	return s, nil
}
