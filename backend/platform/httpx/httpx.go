// Package httpx holds the few HTTP chores the network packages share: one
// request helper that reads bounded bodies, base-URL checks, Retry-After
// parsing, and errors that carry both a domain *backend.Error and the Go
// cause. It never sees a token except to scrub it out of text.
package httpx

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"pauta/backend"
)

// MaxBody bounds how much of a response is read: API answers are small, and
// a proxy's error page must not fill memory.
const MaxBody = 4 << 20

// Request is one call. Body is bytes, not a reader, so the same request can
// be sent again unchanged (after a token refresh).
type Request struct {
	Method string
	URL    string
	Header http.Header
	Body   []byte
}

// Response is a fully read answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON reports whether the answer says it is JSON (proxies answer HTML).
func (r *Response) JSON() bool {
	ct := strings.ToLower(r.Header.Get("Content-Type"))
	return strings.Contains(ct, "json") || (ct == "" && len(bytes.TrimSpace(r.Body)) > 0 && bytes.TrimSpace(r.Body)[0] == '{')
}

// Do sends req with c and reads the whole (bounded) body. It returns the
// transport error as is: callers classify it with Transport.
func Do(ctx context.Context, c *http.Client, req Request) (*Response, error) {
	if c == nil {
		c = http.DefaultClient
	}
	var body io.Reader
	if req.Body != nil {
		body = bytes.NewReader(req.Body)
	}
	hr, err := http.NewRequestWithContext(ctx, req.Method, req.URL, body)
	if err != nil {
		return nil, err
	}
	for k, v := range req.Header {
		hr.Header[k] = v
	}
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		// Never re-sent by the transport itself: it replays a POST carrying
		// an Idempotency-Key when a reused connection drops, and a server
		// that ignores the key (GoToSocial) publishes it twice. A re-send is
		// the outbox's decision.
		hr.GetBody = nil
	}
	resp, err := c.Do(hr)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody))
	if err != nil {
		// A connection dropped while reading the answer is a transport failure too.
		return nil, err
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: b}, nil
}

// Error is a domain error with the Go error that caused it, so errors.As
// finds the *backend.Error (for the UI and the outbox) and errors.Is still
// sees context.DeadlineExceeded and friends.
type Error struct {
	Err   *backend.Error
	Cause error
}

func (e *Error) Error() string   { return e.Err.Message }
func (e *Error) Unwrap() []error { return []error{e.Err, e.Cause} }

// Wrap joins a domain error and its cause (cause may be nil).
func Wrap(be *backend.Error, cause error) error {
	if cause == nil {
		return be
	}
	return &Error{Err: be, Cause: cause}
}

// Transport turns a failure to talk to host (DNS, refused, TLS, timeout, a
// dropped connection) into a retryable ETransient error with the given key.
func Transport(key, host string, err error) error {
	what := "connection failed"
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled):
		what = "cancelled"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		what = "timed out"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		what = "connection closed"
	}
	return Wrap(backend.Errorf(backend.ETransient, key, "cannot reach %s: %s", host, what).WithParam("host", host), err)
}

// Status classifies the answers every service shares: 429 and 5xx. It
// returns nil for anything else (the service decides).
func Status(resp *Response, now time.Time, host string) *backend.Error {
	switch {
	case resp.Status == http.StatusTooManyRequests:
		d := RetryAfter(resp.Header, now)
		e := backend.Errorf(backend.ERateLimited, "network.rate_limited", "%s is rate limiting: retry in %s", host, d.Round(time.Second)).
			WithParam("host", host).WithParam("seconds", strconv.Itoa(int((d+time.Second-1)/time.Second)))
		e.RetryAfter = d
		return e
	case resp.Status >= 500:
		return backend.Errorf(backend.ETransient, "network.transient", "%s answered %d: retry later", host, resp.Status).
			WithParam("host", host).WithParam("status", strconv.Itoa(resp.Status))
	}
	return nil
}

// DefaultRetryAfter is used for a 429 that does not say when to come back.
const DefaultRetryAfter = time.Minute

// RetryAfter reads how long to wait from Retry-After (seconds or an HTTP
// date), X-RateLimit-Reset (Mastodon: ISO 8601) or RateLimit-Reset
// (Bluesky: epoch seconds). It never answers less than one second.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	d, ok := retryAfter(h, now)
	if !ok {
		return DefaultRetryAfter
	}
	if d < time.Second {
		d = time.Second
	}
	return d
}

func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
			return time.Duration(n) * time.Second, true
		}
		if t, err := http.ParseTime(v); err == nil {
			return t.Sub(now), true
		}
	}
	if v := strings.TrimSpace(h.Get("X-RateLimit-Reset")); v != "" {
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000Z0700", "2006-01-02T15:04:05Z0700"} {
			if t, err := time.Parse(layout, v); err == nil {
				return t.Sub(now), true
			}
		}
	}
	if v := strings.TrimSpace(h.Get("RateLimit-Reset")); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
			return time.Unix(n, 0).Sub(now), true
		}
	}
	return 0, false
}

// ErrNotHTTPS, ErrBadURL are what BaseURL answers; services turn them into
// their own keys.
var (
	ErrNotHTTPS = errors.New("not https")
	ErrBadURL   = errors.New("not a server address")
)

// BaseURL normalises what a person typed ("mastodon.social",
// "https://mastodon.social/about") to scheme://host[:port]. It requires
// https, except on the loopback interface so local servers and tests work.
func BaseURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, ErrBadURL
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Hostname() == "" || u.User != nil {
		return nil, ErrBadURL
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !Loopback(u.Hostname()) {
			return nil, ErrNotHTTPS
		}
	default:
		return nil, ErrBadURL
	}
	return &url.URL{Scheme: strings.ToLower(u.Scheme), Host: strings.ToLower(u.Host)}, nil
}

// Loopback reports whether host names this machine.
func Loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Scrub replaces every secret found in s, for text that came from a server
// and is about to be shown or logged.
func Scrub(s string, secrets ...string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, "[redacted]")
		}
	}
	return s
}

// Clip shortens server text meant for the UI.
func Clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// Bearer is the Authorization header value for a token.
func Bearer(token string) string { return "Bearer " + token }
