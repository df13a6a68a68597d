package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The notices the app embeds must be those of go.mod as it is: a dependency
// added, removed or upgraded without `go generate ./app` fails here.
func TestCommittedNoticesAreCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list for three platforms")
	}
	fresh := filepath.Join(t.TempDir(), "notices.json")
	notices, err := goNotices("../..")
	if err != nil {
		t.Fatal(err)
	}
	if err := writeJSON(fresh, notices); err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(fresh)
	got, err := os.ReadFile("../../app/notices_go.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("app/notices_go.json is out of date: run go generate ./app and commit it")
	}
	names := map[string]Notice{}
	for _, n := range notices {
		names[n.Name] = n
		if n.Text == "" {
			t.Errorf("%s has no licence text", n.Name)
		}
	}
	// Linked on every platform, on Windows only, and the standard library.
	for _, name := range []string{"github.com/wailsapp/wails/v2", "modernc.org/sqlite", "github.com/wailsapp/go-webview2", "Go standard library"} {
		if _, ok := names[name]; !ok {
			t.Errorf("no notice for %s", name)
		}
	}
	if n := names["github.com/wailsapp/wails/v2"]; n.Licence != "MIT" || !strings.Contains(n.Text, "Lea Anthony") {
		t.Errorf("wails notice %+v", n.Licence)
	}
}

func TestIdentify(t *testing.T) {
	for text, want := range map[string]string{
		"Permission is hereby granted, free of charge, to any person":                                              "MIT",
		"Apache License\n   Version 2.0, January 2004":                                                             "Apache-2.0",
		"Redistribution and use in source and binary forms ... Neither the name of Google Inc. nor":                "BSD-3-Clause",
		"Redistribution and use in source and binary forms, with or without\nmodification, are permitted provided": "BSD-2-Clause",
		"Permission to use, copy, modify, and/or distribute this software for any purpose":                         "ISC",
		"All rights reserved.": "",
	} {
		if got := identify(text); got != want {
			t.Errorf("identify(%.30q) = %q, want %q", text, got, want)
		}
	}
}

func TestLicenceTextNeedsAFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := licenceText(dir); err == nil {
		t.Fatal("a module without a licence file must be an error, not a silent empty notice")
	}
	os.WriteFile(filepath.Join(dir, "LICENSE.txt"), []byte("Permission is hereby granted, free of charge\r\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "NOTICE"), []byte("Copyright X\n"), 0o644)
	text, err := licenceText(dir)
	if err != nil || text != "Permission is hereby granted, free of charge\n\nCopyright X" {
		t.Fatalf("%q %v", text, err)
	}
}
