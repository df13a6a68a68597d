package app

import (
	"testing"
	"testing/fstest"
)

func TestLicencesGoThenBundle(t *testing.T) {
	bundle := fstest.MapFS{bundleNotices: {Data: []byte(`[{"name":"svelte","version":"5.57.3","identifier":"MIT","text":"Copyright (c) 2016-2025 Svelte Contributors"}]`)}}
	got, err := licences(goNoticesJSON, bundle)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Notice{}
	for _, n := range got {
		byName[n.Name] = n
	}
	if n := byName["github.com/wailsapp/wails/v2"]; n.Source != "go" || n.Licence != "MIT" || n.Text == "" {
		t.Errorf("wails: %+v", n)
	}
	if n := byName["Go standard library"]; n.Source != "go" || n.Licence != "BSD-3-Clause" {
		t.Errorf("stdlib: %+v", n)
	}
	if n := got[len(got)-1]; n.Name != "svelte" || n.Source != "npm" || n.Licence != "MIT" || n.Version != "5.57.3" {
		t.Errorf("last notice %+v, want svelte from the bundle", n)
	}
}

func TestLicencesWithoutBundleFile(t *testing.T) {
	got, err := licences(goNoticesJSON, fstest.MapFS{})
	if err != nil || len(got) < 10 {
		t.Fatalf("%d notices, %v", len(got), err)
	}
	for _, n := range got {
		if n.Source != "go" {
			t.Fatalf("%+v", n)
		}
	}
	if _, err := licences(goNoticesJSON, fstest.MapFS{bundleNotices: {Data: []byte("{")}}); err == nil {
		t.Fatal("an unreadable licenses.json must be an error")
	}
}

// Through the bound service, as the window calls it.
func TestSettingsLicences(t *testing.T) {
	a, _ := newApp(t)
	a.bundle = fstest.MapFS{bundleNotices: {Data: []byte(`[{"name":"svelte","version":"5","identifier":"MIT","text":"x"}]`)}}
	got, err := a.Settings.Licences()
	if err != nil || got[len(got)-1].Name != "svelte" {
		t.Fatalf("%v %v", len(got), err)
	}
}
