package main

import (
	"archive/tar"
	"compress/gzip"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/disintegration/imaging"
	"github.com/goreleaser/nfpm/v2"
	"github.com/goreleaser/nfpm/v2/deb"
	"github.com/goreleaser/nfpm/v2/files"
)

// iconSizes are the hicolor theme's usual fixed sizes.
var iconSizes = []int{16, 24, 32, 48, 64, 128, 256, 512}

type linuxInput struct {
	Binary, Desktop, Icon string
	Version               string
	OutDir                string
	MTime                 time.Time
}

// entry is one file of the installed tree: dst below /usr, its content on disk.
type entry struct {
	dst, src string
	mode     os.FileMode
}

// buildLinux writes pauta_V_amd64.deb and pauta_V_amd64.tar.gz (the same
// files below a pauta-V/ prefix folder instead of /usr) and returns their paths.
func buildLinux(in linuxInput) ([]string, error) {
	if in.Version == "" {
		return nil, fmt.Errorf("no version")
	}
	if st, err := os.Stat(in.Binary); err != nil || st.Mode()&0o111 == 0 {
		return nil, fmt.Errorf("no executable at %s (make build first)", in.Binary)
	}
	stage, err := os.MkdirTemp("", "pauta-package-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(stage)
	tree := []entry{
		{"bin/pauta", in.Binary, 0o755},
		{"share/applications/pauta.desktop", in.Desktop, 0o644},
	}
	icons, err := writeIcons(in.Icon, stage)
	if err != nil {
		return nil, err
	}
	tree = append(tree, icons...)
	if err := os.MkdirAll(in.OutDir, 0o755); err != nil {
		return nil, err
	}
	base := filepath.Join(in.OutDir, "pauta_"+in.Version+"_amd64")
	if err := writeDeb(base+".deb", in, tree); err != nil {
		return nil, err
	}
	if err := writeTarGz(base+".tar.gz", "pauta-"+in.Version, in.MTime, tree); err != nil {
		return []string{base + ".deb"}, err
	}
	return []string{base + ".deb", base + ".tar.gz"}, nil
}

// writeIcons renders the app icon at every hicolor size into dir.
func writeIcons(src, dir string) ([]entry, error) {
	img, err := imaging.Open(src)
	if err != nil {
		return nil, fmt.Errorf("app icon: %w", err)
	}
	if b := img.Bounds(); b.Dx() != b.Dy() || b.Dx() < iconSizes[len(iconSizes)-1] {
		return nil, fmt.Errorf("app icon %s is %dx%d: want a square of at least %d px", src, b.Dx(), b.Dy(), iconSizes[len(iconSizes)-1])
	}
	var out []entry
	for _, n := range iconSizes {
		var small image.Image = imaging.Resize(img, n, n, imaging.Lanczos)
		p := filepath.Join(dir, fmt.Sprintf("pauta-%d.png", n))
		f, err := os.Create(p)
		if err != nil {
			return nil, err
		}
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(f, small)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("icon %d px: %w", n, err)
		}
		out = append(out, entry{fmt.Sprintf("share/icons/hicolor/%dx%d/apps/pauta.png", n, n), p, 0o644})
	}
	return out, nil
}

func writeDeb(name string, in linuxInput, tree []entry) error {
	var contents files.Contents
	for _, e := range tree {
		contents = append(contents, &files.Content{
			Source:      e.src,
			Destination: "/usr/" + e.dst,
			FileInfo:    &files.ContentFileInfo{Mode: e.mode, MTime: in.MTime, Owner: "root", Group: "root"},
		})
	}
	info := nfpm.WithDefaults(&nfpm.Info{
		Name:          "pauta",
		Arch:          "amd64",
		Platform:      "linux",
		Version:       in.Version,
		VersionSchema: "none", // already a dpkg version (packageVersion)
		Section:       "misc",
		Priority:      "optional",
		Maintainer:    "Pauta developers",
		Vendor:        "Pauta",
		Description: "Plan and publish social posts for several client brands\n" +
			"A desktop app for freelance community managers: one calendar for every\n" +
			"client, planned offline, published to Mastodon and Bluesky, with\n" +
			"reminders for the networks published by hand.",
		MTime: in.MTime,
		Overridables: nfpm.Overridables{
			Depends: []string{"libgtk-3-0 | libgtk-3-0t64", "libwebkit2gtk-4.1-0"},
			// The keychain needs a Secret Service; any provider will do.
			Recommends: []string{"gnome-keyring | org.freedesktop.secrets"},
			Contents:   contents,
		},
	})
	if err := nfpm.PrepareForPackager(info, "deb"); err != nil {
		return err
	}
	return writeAtomic(name, func(w io.Writer) error { return deb.Default.Package(info, w) })
}

// writeTarGz writes a reproducible tarball: fixed times, root owner, sorted.
func writeTarGz(name, prefix string, mtime time.Time, tree []entry) error {
	sorted := append([]entry(nil), tree...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].dst < sorted[j].dst })
	return writeAtomic(name, func(w io.Writer) error {
		gz, err := gzip.NewWriterLevel(w, gzip.BestCompression)
		if err != nil {
			return err
		}
		tw := tar.NewWriter(gz)
		dirs := map[string]bool{}
		hdr := func(h *tar.Header) error {
			h.ModTime, h.Uname, h.Gname, h.Format = mtime, "root", "root", tar.FormatPAX
			return tw.WriteHeader(h)
		}
		for _, e := range sorted {
			full := path.Join(prefix, e.dst)
			var parents []string
			for d := path.Dir(full); d != "." && !dirs[d]; d = path.Dir(d) {
				parents = append([]string{d}, parents...)
				dirs[d] = true
			}
			for _, d := range parents {
				if err := hdr(&tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: 0o755}); err != nil {
					return err
				}
			}
			f, err := os.Open(e.src)
			if err != nil {
				return err
			}
			st, err := f.Stat()
			if err == nil {
				err = hdr(&tar.Header{Typeflag: tar.TypeReg, Name: full, Mode: int64(e.mode), Size: st.Size()})
			}
			if err == nil {
				_, err = io.Copy(tw, f)
			}
			f.Close()
			if err != nil {
				return err
			}
		}
		if err := tw.Close(); err != nil {
			return err
		}
		return gz.Close()
	})
}

// writeAtomic writes name through a temp file in the same folder.
func writeAtomic(name string, fill func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := fill(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", filepath.Base(name), err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}

// sourceDate is SOURCE_DATE_EPOCH, else the last commit's time, so that the
// same commit gives the same packages.
func sourceDate(root string) (time.Time, error) {
	s := os.Getenv("SOURCE_DATE_EPOCH")
	if s == "" {
		cmd := exec.Command("git", "log", "-1", "--format=%ct")
		cmd.Dir = root
		if out, err := cmd.Output(); err == nil {
			s = strings.TrimSpace(string(out))
		}
	}
	if s == "" {
		return time.Unix(0, 0).UTC(), nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q: %w", s, err)
	}
	return time.Unix(n, 0).UTC(), nil
}
