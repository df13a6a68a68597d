package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"pauta/backend"
	"pauta/backend/atomicfile"
	"pauta/backend/media"
)

// ImportDialog lets the user pick images and imports them for the client.
// A cancelled dialog returns an empty report.
func (s *MediaService) ImportDialog(clientID int64) (ImportReport, error) {
	if err := s.checkClient(clientID); err != nil {
		return ImportReport{}, err
	}
	paths, err := s.dialogs.OpenImages()
	if err != nil {
		return ImportReport{}, fmt.Errorf("import images: file dialog: %w", err)
	}
	if len(paths) == 0 {
		return ImportReport{Results: []ImportResult{}}, nil
	}
	return s.Import(clientID, paths)
}

func (s *MediaService) checkClient(clientID int64) error {
	ctx, cancel := context.WithTimeout(s.ctx(), 30*time.Second)
	defer cancel()
	_, err := s.store.GetClient(ctx, clientID)
	return err
}

// Import copies image files (absolute paths: the file dialog, files dropped
// on the window) into the client's library. Each file is checked (size,
// real type, pixel limit), fully decoded once for its thumbnail, which also
// catches truncated and corrupt files, and stored once per content: the same
// photo again is reported as a duplicate. A file's failure does not stop the
// others and leaves the library unchanged. Emits EventMediaProgress.
func (s *MediaService) Import(clientID int64, paths []string) (ImportReport, error) {
	if err := s.checkClient(clientID); err != nil {
		return ImportReport{}, err
	}
	ctx, cancel := context.WithTimeout(s.ctx(), importTimeout)
	defer cancel()
	rep := ImportReport{Results: make([]ImportResult, len(paths))}
	if len(paths) == 0 {
		return rep, nil
	}
	s.emitter.Emit(EventMediaProgress, MediaProgress{ClientID: clientID, Total: len(paths)})
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		done int
		next = make(chan int)
	)
	for range min(s.workers, len(paths)) {
		wg.Go(func() {
			for i := range next {
				r := s.importOne(ctx, clientID, paths[i])
				mu.Lock()
				rep.Results[i] = r
				done++
				s.emitter.Emit(EventMediaProgress, MediaProgress{ClientID: clientID, Done: done, Total: len(paths), File: r.Name})
				mu.Unlock()
			}
		})
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, r := range rep.Results {
		switch r.Status {
		case ImportOK:
			rep.Imported++
		case ImportDuplicate:
			rep.Duplicates++
		default:
			rep.Failed++
		}
	}
	if rep.Imported > 0 {
		s.emitter.Emit(EventMediaChanged, clientID)
		s.schedulePrune() // the thumbnails just rendered
	}
	return rep, nil
}

func (s *MediaService) importOne(ctx context.Context, clientID int64, path string) ImportResult {
	name := filepath.Base(path)
	res := ImportResult{Path: path, Name: name}
	fail := func(err error) ImportResult {
		res.Status, res.Error = ImportError, backend.AsError(err)
		return res
	}
	if err := ctx.Err(); err != nil {
		return fail(backend.Errorf(backend.EUnavailable, "media.cancelled", "the import was stopped"))
	}
	// Only a regular file is read, and the import's deadline ends the read:
	// a FIFO or a device named photo.jpg is refused, never waited on.
	data, err := s.proc.ReadFileContext(ctx, path)
	if err != nil {
		return fail(err)
	}
	// One full decode: the thumbnail proves the file is readable to the end.
	r, err := s.proc.Render(ctx, name, data, []media.Request{{Preset: thumbPreset, Focal: media.Centre()}})
	if err != nil {
		return fail(err)
	}
	info := r.Info
	m := backend.Media{ClientID: clientID, Hash: info.Hash, Name: name, Format: string(info.Format), Bytes: info.Bytes,
		Width: info.Width, Height: info.Height, FocalX: 0.5, FocalY: 0.5}

	s.fileMu.Lock()
	defer s.fileMu.Unlock()
	wrote, err := s.writeFile(info.Hash, string(info.Format), data)
	if err != nil {
		return fail(err)
	}
	created, err := s.store.CreateMedia(ctx, &m)
	if err != nil {
		if wrote {
			s.removeFileIfUnused(ctx, info.Hash, string(info.Format))
		}
		return fail(err)
	}
	it := s.item(m)
	res.Media = &it
	res.Status = ImportOK
	if !created {
		res.Status = ImportDuplicate
	}
	return res
}

// writeFile stores data under its hash unless it is already there; it
// reports whether it wrote the file. Temp file then rename: a crash never
// leaves half a file under a real name.
func (s *MediaService) writeFile(hash, format string, data []byte) (bool, error) {
	path, err := s.filePath(hash, format)
	if err != nil {
		return false, err
	}
	return writeStored(path, data)
}

// writeStored writes a content-addressed file (library images, brand-kit
// files) unless a file of the same size is there already, and reports
// whether it wrote it; private to the user, never half-written.
func writeStored(path string, data []byte) (bool, error) {
	if st, err := os.Stat(path); err == nil && st.Size() == int64(len(data)) {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return false, storeErr(err)
	}
	if err := atomicfile.WriteBytes(path, 0o600, data); err != nil {
		return false, storeErr(err)
	}
	return true, nil
}

func storeErr(err error) error {
	return backend.Errorf(backend.EUnavailable, "media.cache_unavailable", "cannot write the image library: %v", err)
}

// removeFileIfUnused deletes the file and its rendered presets once no
// client's library names it. Call with fileMu held.
func (s *MediaService) removeFileIfUnused(ctx context.Context, hash, format string) (int64, error) {
	inUse, err := s.store.HashInUse(ctx, hash)
	if err != nil || inUse {
		return 0, err
	}
	path, err := s.filePath(hash, format)
	if err != nil {
		return 0, err
	}
	var freed int64
	if st, err := os.Stat(path); err == nil {
		freed = st.Size()
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return 0, storeErr(err)
	}
	return freed, s.proc.Forget(hash)
}
