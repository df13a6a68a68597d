package app

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"pauta/backend"
	"pauta/backend/archive"
	"pauta/backend/atomicfile"
	"pauta/backend/sqlite"
)

// restorePending is the backup a restore waits to apply at the next start:
// the open workspace cannot swap its database under the running outbox.
const restorePending = "restore-pending.zip"

// RestoreInfo describes a backup staged for restore.
type RestoreInfo struct {
	Path    string `json:"path"`
	Clients int    `json:"clients"`
	Posts   int    `json:"posts"`
	Images  int    `json:"images"`
}

// PickBackupFile opens the open dialog for a backup (pauta backup); "" when cancelled.
func (s *ArchiveService) PickBackupFile() (string, error) {
	p, err := s.dialogs.OpenArchive()
	if err != nil {
		return "", fmt.Errorf("restore: file dialog: %w", err)
	}
	return p, nil
}

// StageRestore checks a backup made by `pauta backup` (safe paths, sizes, a
// database this Pauta can open) and keeps a copy in the workspace; the next
// start replaces the workspace with it, keeping the current database beside
// it as pauta.db.before-restore-<time>.
func (s *ArchiveService) StageRestore(path string) (RestoreInfo, error) {
	if err := checkArchivePath(path); err != nil {
		return RestoreInfo{}, err
	}
	ctx, cancel := context.WithTimeout(s.app.ctx, archiveTimeout)
	defer cancel()
	info, err := inspectBackup(ctx, path)
	if err != nil {
		return RestoreInfo{}, err
	}
	if err := copyFile(path, filepath.Join(s.app.cfg.DataDir, restorePending)); err != nil {
		return RestoreInfo{}, backend.Errorf(backend.EUnavailable, "backup.failed", "cannot keep the backup in the workspace: %v", err).WithParam("path", s.app.cfg.DataDir)
	}
	info.Path = path
	return info, nil
}

func backupInvalid(format string, args ...any) *backend.Error {
	return backend.Errorf(backend.EInvalid, "backup.invalid", format, args...)
}

// openBackup opens a backup zip and checks every entry: only pauta.db and
// media/<xx>/<hash>.<ext>, safe names, sizes within the archive limits.
func openBackup(path string) (*zip.ReadCloser, *zip.File, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, nil, backupInvalid("%s is not a readable backup (damaged or cut short)", path)
	}
	lim := archive.DefaultLimits()
	var db *zip.File
	var total uint64
	for _, f := range zr.File {
		if !archive.SafeName(f.Name) || (f.Name != DBFile && !strings.HasPrefix(f.Name, "media/")) {
			zr.Close()
			return nil, nil, backupInvalid("the backup holds an unexpected file (%q)", f.Name)
		}
		total += f.UncompressedSize64
		if total > uint64(lim.MaxTotal)*2 || f.UncompressedSize64/max(f.CompressedSize64, 1) > uint64(lim.MaxRatio) && f.UncompressedSize64 > 1<<20 {
			zr.Close()
			return nil, nil, backupInvalid("the backup declares sizes Pauta does not take")
		}
		if f.Name == DBFile {
			db = f
		}
	}
	if db == nil {
		zr.Close()
		return nil, nil, backupInvalid("this is not a Pauta backup (no %s)", DBFile)
	}
	return zr, db, nil
}

func extract(f *zip.File, dst string) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	return atomicfile.Write(dst, 0o600, func(w io.Writer) error {
		n, err := io.Copy(w, io.LimitReader(rc, int64(f.UncompressedSize64)+1))
		if err == nil && n != int64(f.UncompressedSize64) {
			err = errors.New("size differs from the declared one")
		}
		return err
	})
}

// inspectBackup opens the backup's database read-only (a newer schema is
// refused) and counts what it holds.
func inspectBackup(ctx context.Context, path string) (RestoreInfo, error) {
	zr, dbf, err := openBackup(path)
	if err != nil {
		return RestoreInfo{}, err
	}
	defer zr.Close()
	dir, err := os.MkdirTemp("", "pauta-restore-check-*")
	if err != nil {
		return RestoreInfo{}, err
	}
	defer os.RemoveAll(dir)
	if err := extract(dbf, filepath.Join(dir, DBFile)); err != nil {
		return RestoreInfo{}, backupInvalid("the backup's database cannot be read: %v", err)
	}
	db, err := sqlite.OpenReadOnly(ctx, filepath.Join(dir, DBFile), nil)
	if err != nil {
		return RestoreInfo{}, err
	}
	defer db.Close()
	cs, err := db.ListClients(ctx, true)
	if err != nil {
		return RestoreInfo{}, backupInvalid("the backup's database cannot be read: %v", err)
	}
	posts, err := db.ListPosts(ctx, backend.PostFilter{Ideas: true})
	if err != nil {
		return RestoreInfo{}, backupInvalid("the backup's database cannot be read: %v", err)
	}
	info := RestoreInfo{Clients: len(cs), Posts: len(posts)}
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "media/") {
			info.Images++
		}
	}
	return info, nil
}

// applyPendingRestore runs at start, with the workspace lock held and before
// the store opens: the staged backup's database replaces pauta.db (the old
// one, with its -wal and -shm, is kept beside it), its images join the
// library. A backup that fails to unpack leaves the workspace as it was.
func applyPendingRestore(dataDir string, now time.Time) error {
	pending := filepath.Join(dataDir, restorePending)
	if _, err := os.Stat(pending); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	err := applyRestore(dataDir, pending, now)
	if err != nil {
		os.Rename(pending, pending+".refused")
	}
	return err
}

func applyRestore(dataDir, pending string, now time.Time) error {
	zr, dbf, err := openBackup(pending)
	if err != nil {
		return err
	}
	defer zr.Close()
	staged := filepath.Join(dataDir, ".restore-"+DBFile)
	if err := extract(dbf, staged); err != nil {
		os.Remove(staged)
		return backupInvalid("the backup's database cannot be unpacked: %v", err)
	}
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "media/") {
			continue
		}
		dst := filepath.Join(dataDir, filepath.FromSlash(f.Name))
		if _, err := os.Stat(dst); err == nil {
			continue // content-addressed: the same file is already there
		}
		if err := extract(f, dst); err != nil {
			os.Remove(staged)
			return backupInvalid("an image of the backup cannot be unpacked: %v", err)
		}
	}
	keep := filepath.Join(dataDir, DBFile+".before-restore-"+now.UTC().Format("20060102-150405"))
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if _, err := os.Stat(filepath.Join(dataDir, DBFile+suffix)); err == nil {
			if err := os.Rename(filepath.Join(dataDir, DBFile+suffix), keep+suffix); err != nil {
				return backend.Errorf(backend.EUnavailable, "backup.failed", "cannot set the current database aside: %v", err).WithParam("path", dataDir)
			}
		}
	}
	if err := os.Rename(staged, filepath.Join(dataDir, DBFile)); err != nil {
		for _, suffix := range []string{"", "-wal", "-shm"} { // put the current database back
			os.Rename(keep+suffix, filepath.Join(dataDir, DBFile+suffix))
		}
		return backend.Errorf(backend.EUnavailable, "backup.failed", "cannot put the restored database in place: %v", err).WithParam("path", dataDir)
	}
	zr.Close()
	return os.Remove(pending)
}
