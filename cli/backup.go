package cli

import (
	"archive/zip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"pauta/app"
	"pauta/backend"
	"pauta/backend/atomicfile"
	"pauta/backend/sqlite"
)

const backupUsage = `Usage:
  pauta backup [--data-dir DIR] -o FILE

Write a backup of the whole workspace (the database and every image) to FILE,
a .zip. Safe while Pauta is open: the database is copied in one consistent
read (SQLite VACUUM INTO) and images never change once stored.

  -o FILE          the backup to write (it must not exist yet)
  --data-dir DIR   the workspace (default: $PAUTA_DATA_DIR or the config folder)
`

func runBackup(env Env, args []string) int {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dataDir := fs.String("data-dir", "", "workspace folder")
	out := fs.String("o", "", "output file")
	help := fs.Bool("help", false, "show help")
	fs.BoolVar(help, "h", false, "show help")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(env.Stderr, "pauta backup: %v\n\n%s", err, backupUsage)
		return 2
	}
	if *help {
		fmt.Fprint(env.Stdout, backupUsage)
		return 0
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "pauta backup: give -o FILE\n\n%s", backupUsage)
		return 2
	}
	ws := *dataDir
	if ws == "" {
		d, err := app.DefaultDataDir()
		if err != nil {
			return backupFailed(env, err)
		}
		ws = d
	}
	if _, err := os.Stat(filepath.Join(ws, app.DBFile)); err != nil {
		return backupFailed(env, backend.Errorf(backend.ENotFound, "backup.no_workspace", "no Pauta workspace in %s (check --data-dir)", ws))
	}
	if _, err := os.Stat(*out); err == nil {
		return backupFailed(env, backend.Errorf(backend.EConflict, "backup.exists", "%s already exists: choose a new file name", *out))
	}
	n, size, err := writeBackup(context.Background(), ws, *out, env.Clock)
	if err != nil {
		return backupFailed(env, err)
	}
	fmt.Fprintf(env.Stdout, "Backup of %s written to %s (%s, %.1f MB)\n", ws, *out, plural(n, "image"), float64(size)/(1<<20))
	return 0
}

// writeBackup zips a consistent copy of the database and the image library.
// Read-only and without the workspace lock: the app may be running.
func writeBackup(ctx context.Context, ws, out string, clock backend.Clock) (images int, size int64, err error) {
	store, err := sqlite.OpenReadOnly(ctx, filepath.Join(ws, app.DBFile), clock)
	if err != nil {
		return 0, 0, err
	}
	defer store.Close()
	tmpDir, err := os.MkdirTemp(filepath.Dir(out), ".pauta-backup-*")
	if err != nil {
		return 0, 0, err
	}
	defer os.RemoveAll(tmpDir)
	dbCopy := filepath.Join(tmpDir, app.DBFile)
	if err := store.BackupTo(ctx, dbCopy); err != nil {
		return 0, 0, err
	}
	err = atomicfile.Write(out, 0o600, func(dst io.Writer) error {
		zw := zip.NewWriter(dst)
		add := func(name, file string, method uint16) error {
			w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
			if err != nil {
				return err
			}
			f, err := os.Open(file)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = io.Copy(w, f)
			return err
		}
		err := add(app.DBFile, dbCopy, zip.Deflate)
		mediaDir := filepath.Join(ws, "media")
		if err == nil {
			err = filepath.WalkDir(mediaDir, func(p string, d fs.DirEntry, werr error) error {
				if errors.Is(werr, fs.ErrNotExist) && p == mediaDir {
					return filepath.SkipDir
				}
				if werr != nil {
					return werr
				}
				if d.IsDir() || !d.Type().IsRegular() || filepath.Base(p)[0] == '.' {
					return nil // folders, and an import's temp file in flight
				}
				rel, err := filepath.Rel(ws, p)
				if err != nil {
					return err
				}
				images++
				return add(filepath.ToSlash(rel), p, zip.Store)
			})
		}
		if err == nil {
			err = zw.Close()
		}
		return err
	})
	if err != nil {
		return 0, 0, backend.Errorf(backend.EUnavailable, "backup.failed", "cannot write the backup %s: %v", out, err).WithParam("path", out)
	}
	st, _ := os.Stat(out)
	if st != nil {
		size = st.Size()
	}
	return images, size, nil
}

func backupFailed(env Env, err error) int {
	var e *backend.Error
	if errors.As(err, &e) {
		fmt.Fprintf(env.Stderr, "pauta backup: %s\n", e.Message)
	} else {
		fmt.Fprintf(env.Stderr, "pauta backup: %v\n", err)
	}
	return 1
}
