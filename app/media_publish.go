package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"time"

	"pauta/backend"
	"pauta/backend/atomicfile"
	"pauta/backend/media"
)

// Images on their way to a network: the outbox's Prepare step for Mastodon
// and Bluesky, and the "ready" folders of sized images for the networks the
// user publishes to by hand.

// postImage is one of a post's images rendered for one network.
type postImage struct {
	media  backend.Media
	preset media.Preset
	out    media.Output
	file   backend.MediaFile
}

// variantPreset is the preset a variant for account a gets: the post's
// choice for that network when it is one of the network's presets, else the
// network's default. Mastodon's preset follows the instance's limits.
func variantPreset(a backend.Account, chosen map[backend.Network]string) (media.Preset, bool) {
	n := a.Network
	if n == backend.Mastodon {
		return media.MastodonPreset(media.InstanceLimits{ImageSizeLimit: a.Limits.ImageSizeLimit, ImageMatrixLimit: a.Limits.ImageMatrixLimit}), true
	}
	if id := chosen[n]; id != "" {
		if p, ok := media.PresetByID(id); ok && p.Network == n {
			return p, true
		}
	}
	return media.DefaultPreset(n)
}

// permanent turns an image problem that no retry can fix (missing or
// damaged original, an output that cannot fit the network's limits) into
// EInvalid, which the outbox records as a failed variant with this reason.
// Anything else (a full disk, a cache that cannot be written) is returned as
// is: the outbox retries it later.
func permanent(err error, m backend.Media) error {
	code := backend.ErrorCode(err)
	if code != backend.EInvalid && code != backend.ENotFound {
		return err
	}
	e := backend.AsError(err)
	key := "media.publish_broken"
	if code == backend.ENotFound {
		key = "media.publish_missing"
	}
	return backend.Errorf(backend.EInvalid, key, "image %q of this post cannot be used: %s", m.Name, e.Message).
		WithParam("name", m.Name)
}

// renderPostImages renders a post's images, in order, for account a (not
// more than the network takes). The files are the render cache's: the same
// image, preset and focal point always give the same path and bytes, so
// every retry sends the same thing.
func (s *MediaService) renderPostImages(ctx context.Context, postID int64, a backend.Account) ([]postImage, error) {
	items, err := s.store.ListPostMedia(ctx, postID)
	if err != nil || len(items) == 0 {
		return nil, err
	}
	if max := backend.MaxImages(a.Network, a.Limits); max > 0 && len(items) > max {
		return nil, tooManyImages(a, len(items), max)
	}
	out := make([]postImage, 0, len(items))
	for _, it := range items {
		m, err := s.store.GetMedia(ctx, it.MediaID)
		if backend.ErrorCode(err) == backend.ENotFound {
			return nil, backend.Errorf(backend.EInvalid, "media.publish_missing", "image %d of this post is no longer in the library", it.MediaID).
				WithParam("name", strconv.FormatInt(it.MediaID, 10))
		}
		if err != nil {
			return nil, err
		}
		p, ok := variantPreset(a, it.Presets)
		if !ok {
			return nil, backend.Errorf(backend.EInvalid, "media.no_preset", "Pauta has no image size for %s", a.Network).WithParam("network", string(a.Network))
		}
		focal := media.FocalPoint{X: m.FocalX, Y: m.FocalY}.Normalize()
		f := presetFocal(p, focal)
		o, err := s.renderOne(ctx, *m, p, f)
		if err != nil {
			return nil, permanent(err, *m)
		}
		fx, fy := outputFocus(m.Width, m.Height, p, focal)
		out = append(out, postImage{media: *m, preset: p, out: o, file: backend.MediaFile{
			Path: o.Path, MIME: o.Format.MIME(), Alt: m.Alt, Width: o.Width, Height: o.Height, FocusX: fx, FocusY: fy,
		}})
	}
	return out, nil
}

func tooManyImages(a backend.Account, n, max int) error {
	return backend.Errorf(backend.EInvalid, "media.too_many_images", "%s takes at most %d images per post, this one has %d", a.Network, max, n).
		WithField("media").WithParam("network", string(a.Network)).WithParam("accountId", strconv.FormatInt(a.ID, 10)).
		WithParam("count", strconv.Itoa(n)).WithParam("max", strconv.Itoa(max))
}

// outputFocus is the focal point inside the rendered image (what Mastodon's
// focus describes): a crop moves it, a whole-picture preset keeps it.
func outputFocus(w, h int, p media.Preset, f media.FocalPoint) (float64, float64) {
	r := media.SourceCrop(w, h, p, f)
	if r.Dx() <= 0 || r.Dy() <= 0 {
		return f.X, f.Y
	}
	clamp := func(v float64) float64 { return min(1, max(0, v)) }
	x := clamp((f.X*float64(w) - float64(r.Min.X)) / float64(r.Dx()))
	y := clamp((f.Y*float64(h) - float64(r.Min.Y)) / float64(r.Dy()))
	return float64(int(x*1000+0.5)) / 1000, float64(int(y*1000+0.5)) / 1000
}

// preparePublish is the outbox's Prepare: it fills req.Media with the
// post's images sized for the variant's network. A missing or damaged
// original fails the variant with a clear reason (EInvalid); a passing
// problem (the disk) delays it.
func (s *MediaService) preparePublish(ctx context.Context, job backend.OutboxJob, req *backend.PublishRequest) error {
	if job.Like != nil {
		return nil // a like carries no images
	}
	imgs, err := s.renderPostImages(ctx, job.Publish.PostID, job.Account)
	if e := backend.AsError(err); e != nil && e.Key == "media.too_many_images" {
		// The outbox keeps a key without params: say it in words that need none.
		err = backend.Errorf(backend.EInvalid, "media.publish_too_many", "%s", e.Message)
	}
	if err != nil {
		return fmt.Errorf("images of post %d: %w", job.Publish.PostID, err)
	}
	// Alt text too long for the network (edited after scheduling): the
	// network would refuse it; fail with a reason that needs no params.
	ms := make([]backend.Media, 0, len(imgs))
	for _, im := range imgs {
		ms = append(ms, im.media)
	}
	if e := backend.AsError(altOverLimit(job.Account, ms)); e != nil {
		return fmt.Errorf("images of post %d: %w", job.Publish.PostID, backend.Errorf(backend.EInvalid, "media.publish_alt_too_long", "%s", e.Message))
	}
	req.Media = nil
	for _, im := range imgs {
		req.Media = append(req.Media, im.file)
	}
	return nil
}

// FolderOpener shows a folder in the OS file manager. Production runs
// xdg-open / open / explorer; tests pass a fake.
type FolderOpener interface {
	OpenFolder(path string) error
}

type execOpener struct{}

func (execOpener) OpenFolder(path string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", path)
	case "windows":
		cmd = exec.Command("explorer", path)
	default:
		cmd = exec.Command("xdg-open", path)
	}
	if err := cmd.Start(); err != nil {
		return backend.Errorf(backend.EUnavailable, "media.open_folder_failed", "cannot open the folder %s: %v", path, err).WithParam("path", path)
	}
	go cmd.Wait() // reap it; the file manager lives on its own
	return nil
}

var _ FolderOpener = execOpener{}

// ReadyFolder renders a variant's images with its network's preset into a
// stable folder, <data>/ready/<post id>-<network>/01.jpg, 02.png…, for
// publishing by hand. Files are rewritten only when their content changed;
// files of images no longer on the post are removed. It returns the folder.
func (s *MediaService) ReadyFolder(variantID int64) (string, error) {
	ctx, cancel := context.WithTimeout(s.ctx(), previewTimeout)
	defer cancel()
	job, err := s.store.OutboxJob(ctx, variantID)
	if err != nil {
		return "", err
	}
	imgs, err := s.renderPostImages(ctx, job.Publish.PostID, job.Account)
	if err != nil {
		return "", err
	}
	if len(imgs) == 0 {
		return "", backend.Errorf(backend.EInvalid, "media.ready_empty", "this post has no images")
	}
	dir := filepath.Join(s.readyDir, fmt.Sprintf("%d-%s", job.Publish.PostID, job.Account.Network))
	s.readyMu.Lock()
	defer s.readyMu.Unlock()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", storeErr(err)
	}
	keep := map[string]bool{}
	for i, im := range imgs {
		name := fmt.Sprintf("%02d%s", i+1, im.out.Format.Ext())
		keep[name] = true
		if err := syncFile(im.out.Path, filepath.Join(dir, name)); err != nil {
			return "", storeErr(err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", storeErr(err)
	}
	for _, e := range entries {
		if !keep[e.Name()] {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return "", storeErr(err)
			}
		}
	}
	s.schedulePrune()
	return dir, nil
}

// OpenReadyFolder prepares the variant's ready folder (ReadyFolder) and
// opens it in the OS file manager.
func (s *MediaService) OpenReadyFolder(variantID int64) error {
	dir, err := s.ReadyFolder(variantID)
	if err != nil {
		return err
	}
	return s.opener.OpenFolder(dir)
}

// syncFile makes dst a copy of src unless it already has the same bytes.
func syncFile(src, dst string) error {
	want, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if have, err := os.ReadFile(dst); err == nil && bytes.Equal(have, want) {
		return nil
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return atomicfile.WriteBytes(dst, 0o600, want)
}

// Render cache bound: at start-up (in the background) and after batches,
// the oldest rendered presets go until the cache holds at most
// cacheMaxBytes. Files used in the last cacheKeepRecent stay, so a publish
// in flight never loses its file.
const (
	cacheMaxBytes   = 512 << 20
	cacheKeepRecent = 10 * time.Minute
)

// pruner runs one cache prune at a time; a request while one runs makes
// it run once more afterwards.
type pruner struct {
	mu      sync.Mutex
	running bool
	again   bool
	wg      sync.WaitGroup
}

// schedulePrune prunes the render cache in the background.
func (s *MediaService) schedulePrune() {
	s.prune.mu.Lock()
	if s.prune.running {
		s.prune.again = true
		s.prune.mu.Unlock()
		return
	}
	s.prune.running = true
	s.prune.wg.Add(1)
	s.prune.mu.Unlock()
	go func() {
		defer s.prune.wg.Done()
		for {
			if _, err := s.pruneCache(); err != nil {
				s.logf("media: prune the render cache: %v", err)
			}
			s.prune.mu.Lock()
			if !s.prune.again {
				s.prune.running = false
				s.prune.mu.Unlock()
				return
			}
			s.prune.again = false
			s.prune.mu.Unlock()
		}
	}()
}

// pruneCache trims the render cache to its bound now; it returns what it removed.
func (s *MediaService) pruneCache() (media.PruneReport, error) {
	return s.proc.PruneCache(s.cacheMax, time.Now().Add(-cacheKeepRecent))
}

// waitPrune waits for a background prune (tests, shutdown).
func (s *MediaService) waitPrune() { s.prune.wg.Wait() }

func (s *MediaService) logf(format string, args ...any) {
	if s.logger != nil {
		s.logger(format, args...)
	}
}
