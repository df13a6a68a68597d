package inbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"pauta/backend"
	"pauta/backend/atomicfile"
	"pauta/backend/netguard"
)

// Avatars keeps the authors' avatars of recent inbox items in a cache
// folder: one small image per author, fetched when online, refreshed at
// most once per Refresh. A bad answer (not an image, too large, cut off,
// 404) is recorded and not tried again before the next refresh: the UI
// shows the author's initial meanwhile. A host that is unreachable, busy
// (5xx) or rate limiting (429, Retry-After honoured) is left alone for a
// while without recording anything; a later pass tries again.
type Avatars struct {
	store  backend.AvatarStore
	hc     *http.Client
	clock  backend.Clock
	dir    string
	shrink Shrink
	opt    AvatarOptions
	wake   chan struct{}
	mu     sync.Mutex
	hold   map[string]time.Time // host → no request before (429 Retry-After)
}

// Shrink decodes an image safely (the media package's limits) and encodes
// it small (the app: at most 96 px, JPEG). An error means "not an image".
type Shrink func(ctx context.Context, data []byte) ([]byte, error)

// AvatarOptions tune the fetcher; zero values take the defaults.
type AvatarOptions struct {
	MaxBytes int64         // largest download accepted (default 512 KiB)
	Refresh  time.Duration // an avatar is fetched again after this (default 24 h)
	Recent   time.Duration // authors of items created this recently (default 30 days)
	Batch    int           // fetches per pass at most (default 20)
	Gap      time.Duration // pause between two fetches (default 250 ms)
	Interval time.Duration // between passes when nothing wakes it (default 10 min)
	Logf     func(format string, args ...any)
}

func (o *AvatarOptions) defaults() {
	if o.MaxBytes <= 0 {
		o.MaxBytes = 512 << 10
	}
	if o.Refresh <= 0 {
		o.Refresh = 24 * time.Hour
	}
	if o.Recent <= 0 {
		o.Recent = 30 * 24 * time.Hour
	}
	if o.Batch <= 0 {
		o.Batch = 20
	}
	if o.Gap < 0 {
		o.Gap = 0
	} else if o.Gap == 0 {
		o.Gap = 250 * time.Millisecond
	}
	if o.Interval <= 0 {
		o.Interval = 10 * time.Minute
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
}

// NewAvatars builds the fetcher writing into dir. A negative Gap means none.
func NewAvatars(store backend.AvatarStore, hc *http.Client, clock backend.Clock, dir string, shrink Shrink, opt AvatarOptions) *Avatars {
	opt.defaults()
	if clock == nil {
		clock = backend.SystemClock{}
	}
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	return &Avatars{store: store, hc: hc, clock: clock, dir: dir, shrink: shrink, opt: opt, wake: make(chan struct{}, 1), hold: map[string]time.Time{}}
}

// Dir is the cache folder.
func (a *Avatars) Dir() string { return a.dir }

// Wake asks for a pass soon (new items arrived).
func (a *Avatars) Wake() {
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

// Run fetches until ctx ends: a pass when woken, else every Interval.
func (a *Avatars) Run(ctx context.Context, changed func()) error {
	return loop(ctx, a.wake, func() time.Duration {
		n, err := a.Pass(ctx)
		if err != nil && ctx.Err() == nil {
			a.opt.Logf("inbox avatars: %v", err)
		}
		if n > 0 && changed != nil {
			changed()
		}
		return a.opt.Interval
	})
}

// hostPause is how long a host that failed (offline, 5xx) is left alone.
const hostPause = 5 * time.Minute

// errStop: nothing is recorded, the host is held (offline, rate limited, busy).
var errStop = errors.New("stop the pass")

// Pass fetches the due avatars, at most Batch; it returns how many were
// recorded (cached or found bad).
func (a *Avatars) Pass(ctx context.Context) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.clock.Now()
	due, err := a.store.AvatarsDue(ctx, now.Add(-a.opt.Recent), now.Add(-a.opt.Refresh), a.opt.Batch)
	if err != nil {
		return 0, err
	}
	n := 0
	for i, w := range due {
		if i > 0 && a.opt.Gap > 0 {
			select {
			case <-ctx.Done():
				return n, ctx.Err()
			case <-time.After(a.opt.Gap):
			}
		}
		u, err := url.Parse(w.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			err = a.store.SaveAvatar(ctx, backend.AvatarRecord{Key: w.Key, URL: w.URL, FetchedAt: a.clock.Now(), Failed: true, Error: "not an http(s) URL"})
			if err != nil {
				return n, err
			}
			n++
			continue
		}
		if until, ok := a.hold[u.Host]; ok && a.clock.Now().Before(until) {
			continue // this host asked us to wait
		}
		file, ferr := a.fetch(ctx, u)
		if ctx.Err() != nil {
			return n, nil
		}
		if errors.Is(ferr, errStop) {
			continue // offline, busy or told to wait: this host is held, try it on a later pass
		}
		rec := backend.AvatarRecord{Key: w.Key, URL: w.URL, File: file, FetchedAt: a.clock.Now()}
		if ferr != nil {
			rec.Failed, rec.Error = true, ferr.Error()
			a.opt.Logf("inbox avatars: %s: %v", u.Host, ferr)
		}
		if err := a.store.SaveAvatar(ctx, rec); err != nil {
			return n, err
		}
		n++
		if ferr == nil && w.File != "" && w.File != file {
			a.forget(ctx, w.File)
		}
	}
	return n, nil
}

// forget removes a file no author uses any more.
func (a *Avatars) forget(ctx context.Context, file string) {
	if used, err := a.store.AvatarFileUsed(ctx, file); err == nil && !used {
		_ = os.Remove(filepath.Join(a.dir, file))
	}
}

// fetch downloads one avatar and caches it shrunk; it returns the file
// name. errStop: offline, 429 or 5xx (nothing recorded).
func (a *Avatars) fetch(ctx context.Context, u *url.URL) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Accept", "image/*")
	resp, err := a.hc.Do(req)
	if errors.Is(err, netguard.ErrNotPublic) {
		return "", err // a URL into the local network (the client's guard): recorded, not retried before the refresh
	}
	if err != nil {
		a.hold[u.Host] = a.clock.Now().Add(hostPause)
		return "", errStop // a transport failure: the network, not the image (try later)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		wait := time.Minute
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
			wait = time.Duration(s) * time.Second
		}
		a.hold[u.Host] = a.clock.Now().Add(wait)
		return "", errStop
	case resp.StatusCode >= 500:
		a.hold[u.Host] = a.clock.Now().Add(hostPause)
		return "", errStop
	case resp.StatusCode != http.StatusOK:
		return "", fmt.Errorf("status %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err == nil && !strings.HasPrefix(mt, "image/") && mt != "application/octet-stream" {
			return "", fmt.Errorf("not an image: %s", mt)
		}
	}
	if resp.ContentLength > a.opt.MaxBytes {
		return "", fmt.Errorf("too large: %d bytes", resp.ContentLength)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, a.opt.MaxBytes+1))
	if err != nil {
		return "", fmt.Errorf("cut off: %w", err)
	}
	if int64(len(data)) > a.opt.MaxBytes {
		return "", fmt.Errorf("too large: over %d bytes", a.opt.MaxBytes)
	}
	small, err := a.shrink(ctx, data)
	if err != nil {
		return "", fmt.Errorf("not a usable image: %w", err)
	}
	sum := sha256.Sum256(small)
	name := hex.EncodeToString(sum[:16]) + ".jpg"
	if err := os.MkdirAll(a.dir, 0o700); err != nil {
		return "", err
	}
	if err := atomicfile.WriteBytes(filepath.Join(a.dir, name), 0o600, small); err != nil {
		return "", err
	}
	return name, nil
}
