package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The packages hold the same tree, with the metadata apt needs, and the
// same commit gives byte-identical packages.
func TestBuildLinux(t *testing.T) {
	if _, err := exec.LookPath("dpkg-deb"); err != nil {
		t.Skip("no dpkg-deb")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "pauta")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\necho pauta 1.2.3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	in := linuxInput{
		Binary: bin, Desktop: "../linux/pauta.desktop", Icon: "../appicon.png",
		Version: "1.2.3+git4.abc1234", OutDir: filepath.Join(dir, "out"), MTime: time.Unix(1700000000, 0),
	}
	got, err := buildLinux(in)
	if err != nil {
		t.Fatal(err)
	}
	deb, tgz := got[0], got[1]
	if filepath.Base(deb) != "pauta_1.2.3+git4.abc1234_amd64.deb" || filepath.Base(tgz) != "pauta_1.2.3+git4.abc1234_amd64.tar.gz" {
		t.Fatalf("files %v", got)
	}

	field := func(name string) string {
		out, err := exec.Command("dpkg-deb", "-f", deb, name).Output()
		if err != nil {
			t.Fatalf("dpkg-deb -f %s: %v", name, err)
		}
		return strings.TrimSpace(string(out))
	}
	for name, want := range map[string]string{
		"Package": "pauta", "Version": "1.2.3+git4.abc1234", "Architecture": "amd64",
		"Depends":    "libgtk-3-0 | libgtk-3-0t64, libwebkit2gtk-4.1-0",
		"Recommends": "gnome-keyring | org.freedesktop.secrets",
	} {
		if got := field(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}

	out, err := exec.Command("dpkg-deb", "-c", deb).Output()
	if err != nil {
		t.Fatal(err)
	}
	var debFiles []string
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) >= 6 && strings.HasPrefix(f[0], "-") {
			debFiles = append(debFiles, strings.TrimPrefix(f[5], "./usr/"))
			if strings.HasSuffix(f[5], "/bin/pauta") && f[0] != "-rwxr-xr-x" {
				t.Errorf("binary mode %s", f[0])
			}
			if f[1] != "root/root" {
				t.Errorf("%s owned by %s", f[5], f[1])
			}
		}
	}
	tarFiles := tarList(t, tgz, "pauta-1.2.3+git4.abc1234/")
	sort.Strings(debFiles)
	want := []string{"bin/pauta", "share/applications/pauta.desktop"}
	for _, n := range iconSizes {
		want = append(want, "share/icons/hicolor/"+itoa(n)+"x"+itoa(n)+"/apps/pauta.png")
	}
	sort.Strings(want)
	if strings.Join(debFiles, " ") != strings.Join(want, " ") {
		t.Errorf(".deb holds %v, want %v", debFiles, want)
	}
	if strings.Join(tarFiles, " ") != strings.Join(want, " ") {
		t.Errorf(".tar.gz holds %v, want %v", tarFiles, want)
	}

	// Reproducible: the same input, the same bytes.
	first := [][]byte{mustRead(t, deb), mustRead(t, tgz)}
	if _, err := buildLinux(in); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first[0], mustRead(t, deb)) || !bytes.Equal(first[1], mustRead(t, tgz)) {
		t.Error("a second build of the same input differs")
	}
}

func TestBuildLinuxRefusesMissingBinary(t *testing.T) {
	_, err := buildLinux(linuxInput{Binary: filepath.Join(t.TempDir(), "nope"), Version: "1.0.0", OutDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "make build") {
		t.Fatalf("err %v", err)
	}
}

func tarList(t *testing.T, name, prefix string) []string {
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(h.Name, prefix) {
			t.Errorf("%s outside %s", h.Name, prefix)
		}
		if h.Typeflag == tar.TypeReg {
			names = append(names, strings.TrimPrefix(h.Name, prefix))
		}
	}
	sort.Strings(names)
	return names
}

func mustRead(t *testing.T, name string) []byte {
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func itoa(n int) string { return strconv.Itoa(n) }
