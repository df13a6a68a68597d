package app

import (
	"context"
	"path/filepath"
	"sync"

	"pauta/backend"
	"pauta/backend/media"
)

// preparedImage is an image file of a CSV import, decoded and stored in the
// library's files but not yet in the database (the import's transaction
// adds the row).
type preparedImage struct {
	media backend.Media
	wrote bool // the file was new on disk: remove it if the import fails
	err   error
}

// prepareImages reads, fully decodes (the same checks as an import from the
// file dialog: size, real type, pixel limit, truncation) and stores each
// file once, in parallel.
func (s *MediaService) prepareImages(ctx context.Context, clientID int64, paths []string) map[string]preparedImage {
	out := make(map[string]preparedImage, len(paths))
	if len(paths) == 0 {
		return out
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		done int
		next = make(chan string)
	)
	s.emitter.Emit(EventMediaProgress, MediaProgress{ClientID: clientID, Total: len(paths)})
	for range min(s.workers, len(paths)) {
		wg.Go(func() {
			for p := range next {
				r := s.prepareOne(ctx, p)
				mu.Lock()
				out[p] = r
				done++
				s.emitter.Emit(EventMediaProgress, MediaProgress{ClientID: clientID, Done: done, Total: len(paths), File: filepath.Base(p)})
				mu.Unlock()
			}
		})
	}
	for _, p := range paths {
		next <- p
	}
	close(next)
	wg.Wait()
	return out
}

func (s *MediaService) prepareOne(ctx context.Context, path string) preparedImage {
	data, err := s.proc.ReadFileContext(ctx, path)
	if err != nil {
		return preparedImage{err: err}
	}
	return s.prepareData(ctx, filepath.Base(path), data)
}

// prepareData decodes and stores an image given as bytes (from an archive).
func (s *MediaService) prepareData(ctx context.Context, name string, data []byte) preparedImage {
	r, err := s.proc.Render(ctx, name, data, []media.Request{{Preset: thumbPreset, Focal: media.Centre()}})
	if err != nil {
		return preparedImage{err: err}
	}
	info := r.Info
	m := backend.Media{Hash: info.Hash, Name: name, Format: string(info.Format), Bytes: info.Bytes,
		Width: info.Width, Height: info.Height, FocalX: 0.5, FocalY: 0.5}
	s.fileMu.Lock()
	defer s.fileMu.Unlock()
	wrote, err := s.writeFile(info.Hash, string(info.Format), data)
	if err != nil {
		return preparedImage{err: err}
	}
	return preparedImage{media: m, wrote: wrote}
}

// forgetImages removes the files an import wrote when it did not go through.
func (s *MediaService) forgetImages(ctx context.Context, imgs map[string]preparedImage) {
	s.fileMu.Lock()
	defer s.fileMu.Unlock()
	for _, im := range imgs {
		if im.wrote && im.err == nil {
			_, _ = s.removeFileIfUnused(ctx, im.media.Hash, im.media.Format)
		}
	}
}

// dropUnusedFiles removes the files of images an undo took out of the
// library, when no client uses them any more.
func (s *MediaService) dropUnusedFiles(ctx context.Context, ms []backend.Media) {
	s.fileMu.Lock()
	defer s.fileMu.Unlock()
	for _, m := range ms {
		_, _ = s.removeFileIfUnused(ctx, m.Hash, m.Format)
	}
}
