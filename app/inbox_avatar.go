package app

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"log"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"time"

	"pauta/backend/inbox"
	"pauta/backend/media"
	"pauta/backend/netguard"
)

// Avatars of inbox authors (issue #14): fetched by backend/inbox's
// Avatars into <dataDir>/cache/avatars, decoded with the media package's
// limits and re-encoded small, and served at /media/avatar/<file>. The UI
// never loads a remote URL.

// avatarSide is the cached avatar's longer side in pixels.
const avatarSide = 96

func avatarDir(dataDir string) string { return filepath.Join(dataDir, "cache", "avatars") }

func newAvatars(a *App) *inbox.Avatars {
	return inbox.NewAvatars(a.store, guardedClient(a.http, a.accountHosts), a.cfg.Clock, avatarDir(a.cfg.DataDir), a.Media.shrinkAvatar, inbox.AvatarOptions{Logf: log.Printf})
}

// guardedClient is hc for URLs that strangers choose (avatars): it dials
// public internet addresses only, and the hosts allowed names (the
// workspace's own servers, which may be on the local network). A client
// whose transport is not an *http.Transport (a test's) is kept as it is.
func guardedClient(hc *http.Client, allowed func(context.Context) []string) *http.Client {
	var base *http.Transport
	switch t := hc.Transport.(type) {
	case nil:
		base = http.DefaultTransport.(*http.Transport)
	case *http.Transport:
		base = t
	default:
		return hc
	}
	tr := base.Clone()
	tr.Proxy = nil // a proxy would dial for us, past the guard
	tr.DialContext = (&netguard.Guard{Allowed: allowed, Dialer: &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}}).DialContext
	c := *hc
	c.Transport = tr
	return &c
}

// accountHosts are the hosts of the workspace's accounts' servers.
func (a *App) accountHosts(ctx context.Context) []string {
	accs, err := a.store.ListAccounts(ctx, 0)
	if err != nil {
		return nil
	}
	var hosts []string
	for _, acc := range accs {
		if u, err := url.Parse(acc.ServiceURL); err == nil && u.Hostname() != "" {
			hosts = append(hosts, u.Hostname())
		}
	}
	return hosts
}

// shrinkAvatar decodes data within the media limits (any format the
// library takes) and encodes it as a JPEG of at most avatarSide pixels,
// transparency over white.
func (s *MediaService) shrinkAvatar(ctx context.Context, data []byte) ([]byte, error) {
	var out bytes.Buffer
	err := s.proc.Upright(ctx, "avatar", data, avatarSide, 1, func(img *image.NRGBA, _ media.Info) error {
		if b := img.Bounds(); max(b.Dx(), b.Dy()) > avatarSide {
			img = fitLong(img, avatarSide)
		}
		flat := image.NewRGBA(img.Bounds())
		draw.Draw(flat, flat.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
		draw.Draw(flat, flat.Bounds(), img, img.Bounds().Min, draw.Over)
		return jpeg.Encode(&out, flat, &jpeg.Options{Quality: 85})
	})
	if err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

var avatarRE = regexp.MustCompile(`^[0-9a-f]{32}\.jpg$`)

// serveAvatar serves /media/avatar/<file>: only names the fetcher makes,
// from the avatar folder. The name is the content's hash, so it can be
// cached for good.
func (s *MediaService) serveAvatar(w http.ResponseWriter, r *http.Request, name string) {
	if s.avatarDir == "" || !avatarRE.MatchString(name) {
		httpError(w, http.StatusNotFound)
		return
	}
	s.serveFile(w, r, filepath.Join(s.avatarDir, name), media.JPEG)
}
