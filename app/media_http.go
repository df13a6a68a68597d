package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"

	"pauta/backend"
	"pauta/backend/media"
)

// Handler serves library images to the web view (mount it as the Wails
// AssetServer Handler):
//
//	/media/thumb/<id>, /media/view/<id>    long side 480 / 1600, upright, no metadata
//	/media/original/<id>                   the stored file
//	/media/avatar/<hash>.jpg               an inbox author's cached avatar
//	/media/preset/<id>/<preset>?f=<x>,<y>  a network preset with that focal point (default: the stored one)
//
// Ids are decimal, presets must be known, nothing else in the path is
// accepted: no file name ever comes from the request.
func (s *MediaService) handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

var idRE = regexp.MustCompile(`^[1-9][0-9]{0,17}$`)

func httpError(w http.ResponseWriter, code int) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	fmt.Fprintln(w, http.StatusText(code))
}

func (s *MediaService) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		httpError(w, http.StatusMethodNotAllowed)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/media/")
	if !ok || strings.Contains(r.URL.RawPath, "%2") || strings.Contains(r.URL.RawPath, "%5") {
		httpError(w, http.StatusNotFound)
		return
	}
	if name, ok := strings.CutPrefix(rest, "avatar/"); ok {
		s.serveAvatar(w, r, name) // inbox_avatar.go
		return
	}
	parts := strings.Split(rest, "/")
	kind := parts[0]
	want := 2
	if kind == "preset" {
		want = 3
	}
	if len(parts) != want || !idRE.MatchString(parts[1]) {
		httpError(w, http.StatusNotFound)
		return
	}
	id, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		httpError(w, http.StatusNotFound)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), previewTimeout)
	defer cancel()
	m, err := s.store.GetMedia(ctx, id)
	if err != nil {
		httpError(w, statusOf(err))
		return
	}
	var preset media.Preset
	focal := media.FocalPoint{X: m.FocalX, Y: m.FocalY}
	switch kind {
	case "original":
		path, err := s.filePath(m.Hash, m.Format)
		if err != nil {
			httpError(w, http.StatusInternalServerError)
			return
		}
		s.serveFile(w, r, path, media.Format(m.Format))
		return
	case "thumb":
		preset = thumbPreset
	case "view":
		preset = viewPreset
	case "preset":
		p, ok, err := s.presetFor(ctx, m.ClientID, parts[2])
		if err != nil {
			httpError(w, statusOf(err))
			return
		}
		if !ok || p.ID == thumbPreset.ID || p.ID == viewPreset.ID {
			httpError(w, http.StatusNotFound)
			return
		}
		preset = p
		if f := r.URL.Query().Get("f"); f != "" {
			x, y, ok := parseFocal(f)
			if !ok {
				httpError(w, http.StatusBadRequest)
				return
			}
			focal = media.FocalPoint{X: x, Y: y}
		}
	default:
		httpError(w, http.StatusNotFound)
		return
	}
	focal = presetFocal(preset, focal)
	select {
	case s.renders <- struct{}{}:
	case <-ctx.Done():
		httpError(w, http.StatusServiceUnavailable)
		return
	}
	out, err := s.renderOne(ctx, *m, preset, focal)
	<-s.renders
	if err != nil {
		httpError(w, statusOf(err))
		return
	}
	s.serveFile(w, r, out.Path, out.Format)
}

func (s *MediaService) renderOne(ctx context.Context, m backend.Media, p media.Preset, f media.FocalPoint) (media.Output, error) {
	// A size rendered before is found from the library's record: the
	// original is not read and hashed again (the outbox and the server-side
	// sync ask for every image of every due or future post, again and again).
	// A missing original still fails, as a render would.
	if out, ok := s.proc.Cached(m.Hash, m.Width, m.Height, media.Request{Preset: p, Focal: f}); ok {
		if path, err := s.filePath(m.Hash, m.Format); err == nil {
			if _, err := os.Stat(path); err == nil {
				return out, nil
			}
		}
	}
	path, data, err := s.readStored(m)
	if err != nil {
		return media.Output{}, err
	}
	res, err := s.proc.Render(ctx, path, data, []media.Request{{Preset: p, Focal: f}})
	if err != nil {
		return media.Output{}, err
	}
	if res.Outputs[0].Path == "" {
		return media.Output{}, backend.Errorf(backend.EInternal, "internal", "rendered %s has no file", p.ID)
	}
	return res.Outputs[0], nil
}

// parseFocal reads "x,y" with both in [0,1].
func parseFocal(s string) (float64, float64, bool) {
	xs, ys, ok := strings.Cut(s, ",")
	if !ok || len(s) > 40 {
		return 0, 0, false
	}
	x, err1 := strconv.ParseFloat(xs, 64)
	y, err2 := strconv.ParseFloat(ys, 64)
	if err1 != nil || err2 != nil || !(x >= 0 && x <= 1) || !(y >= 0 && y <= 1) {
		return 0, 0, false
	}
	return x, y, true
}

func statusOf(err error) int {
	switch backend.ErrorCode(err) {
	case backend.ENotFound:
		return http.StatusNotFound
	case backend.EInvalid:
		return http.StatusUnprocessableEntity
	case backend.EUnavailable:
		return http.StatusServiceUnavailable
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// serveFile streams a library or cache file with its real type. URLs carry
// the content hash (and the focal point), so what they name never changes.
func (s *MediaService) serveFile(w http.ResponseWriter, r *http.Request, path string, f media.Format) {
	file, err := os.Open(path)
	if err != nil {
		httpError(w, http.StatusNotFound)
		return
	}
	defer file.Close()
	st, err := file.Stat()
	if err != nil || !st.Mode().IsRegular() {
		httpError(w, http.StatusNotFound)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.MIME())
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, max-age=31536000, immutable")
	http.ServeContent(w, r, "", st.ModTime(), file)
}
