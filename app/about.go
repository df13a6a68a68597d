package app

import (
	_ "embed"
	"encoding/json"
	"errors"
	"io/fs"

	"pauta/backend"
)

// The licence notices of the Go modules linked into the app, generated from
// go.mod (build/licences; a test fails when it is out of date).
//
//go:generate go run ../build/licences -C .. -o app/notices_go.json
//go:embed notices_go.json
var goNoticesJSON []byte

// bundleNotices is what Vite writes for the npm packages in the bundle
// (frontend/vite.config.ts build.license).
const bundleNotices = "licenses.json"

// Notice is one dependency's licence, for Settings → About.
type Notice struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Licence string `json:"licence"` // SPDX identifier, "" when not recognised
	Text    string `json:"text"`
	Source  string `json:"source"` // "go" or "npm"
}

// Licences lists the licence notices of everything Pauta ships: the Go
// modules, then the npm packages bundled into the interface.
func (s *SettingsService) Licences() ([]Notice, error) {
	return licences(goNoticesJSON, s.app.bundle)
}

func licences(goJSON []byte, bundle fs.FS) ([]Notice, error) {
	var out []Notice
	if err := json.Unmarshal(goJSON, &out); err != nil {
		return nil, backend.Errorf(backend.EInternal, "internal", "go notices: %v", err)
	}
	for i := range out {
		out[i].Source = "go"
	}
	if bundle == nil {
		return out, nil
	}
	b, err := fs.ReadFile(bundle, bundleNotices)
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil // a frontend built without it (wails dev): the Go part still holds
	}
	if err != nil {
		return nil, backend.Errorf(backend.EInternal, "internal", "%s: %v", bundleNotices, err)
	}
	var npm []struct {
		Name       string `json:"name"`
		Version    string `json:"version"`
		Identifier string `json:"identifier"`
		Text       string `json:"text"`
	}
	if err := json.Unmarshal(b, &npm); err != nil {
		return nil, backend.Errorf(backend.EInternal, "internal", "%s: %v", bundleNotices, err)
	}
	for _, n := range npm {
		out = append(out, Notice{Name: n.Name, Version: n.Version, Licence: n.Identifier, Text: n.Text, Source: "npm"})
	}
	return out, nil
}
