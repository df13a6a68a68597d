// Command licences writes the licence notices of the Go modules linked into
// Pauta (on Linux, Windows and macOS) to a JSON file that the app embeds and
// shows in Settings → About, next to the npm packages that Vite bundles
// (frontend/vite.config.ts build.license). Generated, never typed by hand:
//
//	go generate ./app            (= go run ./build/licences -o app/notices_go.json)
//
// A test fails when the committed file no longer matches go.mod.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Notice is one dependency's licence, as the About screen lists it.
type Notice struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Licence string `json:"licence"` // SPDX identifier, or "" when not recognised
	Text    string `json:"text"`    // LICENSE (and NOTICE) as shipped by the module
}

// platforms whose binaries we ship; their dependencies differ (WebView2 on
// Windows, Cocoa on macOS, GTK on Linux).
var platforms = []string{"linux", "windows", "darwin"}

func main() {
	out := flag.String("o", "app/notices_go.json", "output file")
	root := flag.String("C", ".", "the module root")
	flag.Parse()
	notices, err := goNotices(*root)
	if err == nil {
		name := *out
		if !filepath.IsAbs(name) {
			name = filepath.Join(*root, name)
		}
		err = writeJSON(name, notices)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "licences: %v\n", err)
		os.Exit(1)
	}
}

type module struct {
	Path, Version, Dir string
	Replace            *module
}

// goNotices lists the modules of the packages linked into the app binary.
func goNotices(root string) ([]Notice, error) {
	mods := map[string]module{}
	for _, goos := range platforms {
		cmd := exec.Command("go", "list", "-deps", "-tags", "desktop,production,webkit2_41", "-json=Module", ".")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH=amd64", "CGO_ENABLED=1")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("go list (%s): %v: %s", goos, err, stderr.String())
		}
		dec := json.NewDecoder(bytes.NewReader(out))
		for dec.More() {
			var p struct{ Module *module }
			if err := dec.Decode(&p); err != nil {
				return nil, err
			}
			m := p.Module
			if m == nil || m.Version == "" { // the standard library, or the app itself
				continue
			}
			if m.Replace != nil {
				m = &module{Path: m.Path, Version: m.Replace.Version, Dir: m.Replace.Dir}
			}
			mods[m.Path] = *m
		}
	}
	notices := make([]Notice, 0, len(mods)+1)
	std, err := stdlibNotice(root)
	if err != nil {
		return nil, err
	}
	notices = append(notices, std)
	for _, m := range mods {
		text, err := licenceText(m.Dir)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", m.Path, m.Version, err)
		}
		notices = append(notices, Notice{Name: m.Path, Version: m.Version, Licence: identify(text), Text: text})
	}
	sort.Slice(notices[1:], func(i, j int) bool { return notices[1+i].Name < notices[1+j].Name })
	return notices, nil
}

// stdlibNotice is the Go standard library's, linked into every Go binary;
// its version is go.mod's go line (the toolchain it asks for).
func stdlibNotice(root string) (Notice, error) {
	cmd := exec.Command("go", "env", "GOROOT")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return Notice{}, fmt.Errorf("go env GOROOT: %w", err)
	}
	b, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "LICENSE"))
	if err != nil {
		return Notice{}, err
	}
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return Notice{}, err
	}
	m := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(mod)
	if m == nil {
		return Notice{}, fmt.Errorf("no go line in go.mod")
	}
	text := normalise(string(b))
	return Notice{Name: "Go standard library", Version: "go" + string(m[1]), Licence: identify(text), Text: text}, nil
}

var licenceFile = regexp.MustCompile(`(?i)^(licen[cs]e|copying)(\.(md|txt))?$`)
var noticeFile = regexp.MustCompile(`(?i)^notice(\.(md|txt))?$`)

// licenceText is the module's licence file, and its NOTICE file when it has
// one (Apache 2.0 asks for both).
func licenceText(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	var lic, notice string
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		switch {
		case lic == "" && licenceFile.MatchString(e.Name()):
			lic = e.Name()
		case notice == "" && noticeFile.MatchString(e.Name()):
			notice = e.Name()
		}
	}
	if lic == "" {
		return "", fmt.Errorf("no LICENSE file in %s", dir)
	}
	b, err := os.ReadFile(filepath.Join(dir, lic))
	if err != nil {
		return "", err
	}
	text := normalise(string(b))
	if notice != "" {
		n, err := os.ReadFile(filepath.Join(dir, notice))
		if err != nil {
			return "", err
		}
		text += "\n\n" + normalise(string(n))
	}
	return text, nil
}

func normalise(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

// identify names the common licences by their wording.
func identify(text string) string {
	t := strings.Join(strings.Fields(text), " ")
	has := func(s string) bool { return strings.Contains(t, s) }
	switch {
	case has("Apache License") && has("Version 2.0"):
		return "Apache-2.0"
	case has("Mozilla Public License Version 2.0") || has("Mozilla Public License, version 2.0"):
		return "MPL-2.0"
	case has("Permission is hereby granted, free of charge"):
		return "MIT"
	case has("Permission to use, copy, modify, and/or distribute this software for any purpose"),
		has("Permission to use, copy, modify, and distribute this software for any purpose with or without fee"):
		return "ISC"
	case has("Redistribution and use in source and binary forms"):
		if has("Neither the name") || has("names of its contributors may be used") || has("name of the copyright holder nor") {
			return "BSD-3-Clause"
		}
		return "BSD-2-Clause"
	case has("This is free and unencumbered software released into the public domain"):
		return "Unlicense"
	}
	return ""
}

// writeJSON writes atomically (temp + rename), with a final newline.
func writeJSON(name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
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
