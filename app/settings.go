package app

import (
	"context"
	"os"
	"strings"

	"pauta/backend"
	"pauta/backend/demo"
)

// SettingsService is bound to the frontend: language, first run, demo.
type SettingsService struct{ app *App }

// Settings is what the UI needs at start.
type Settings struct {
	Language       string `json:"language"`       // chosen UI language, "" = follow the system
	SystemLanguage string `json:"systemLanguage"` // from the OS locale, "" if unknown
	FirstRun       bool   `json:"firstRun"`       // no clients yet and no choice made
	DataDir        string `json:"dataDir"`
	Version        string `json:"version"`
	GraceMinutes   int    `json:"graceMinutes"` // outbox: how late a post may still go out by itself (default 15)
}

// Supported UI languages.
var uiLanguages = []string{"es", "it", "en"}

const (
	keyLanguage = "ui.language"
	keyFirstRun = "first_run.done"
)

// Get returns the settings.
func (s *SettingsService) Get() (Settings, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	return s.app.settings(ctx)
}

func (a *App) settings(ctx context.Context) (Settings, error) {
	lang, _, err := a.store.GetSetting(ctx, keyLanguage)
	if err != nil {
		return Settings{}, err
	}
	_, done, err := a.store.GetSetting(ctx, keyFirstRun)
	if err != nil {
		return Settings{}, err
	}
	first := false
	if !done {
		cs, err := a.store.ListClients(ctx, true)
		if err != nil {
			return Settings{}, err
		}
		first = len(cs) == 0
	}
	return Settings{Language: lang, SystemLanguage: SystemLanguage(os.Getenv), FirstRun: first,
		DataDir: a.cfg.DataDir, Version: a.cfg.Version, GraceMinutes: a.graceMinutes(ctx)}, nil
}

// SetLanguage stores the UI language ("es", "it", "en", or "" for the system's).
func (s *SettingsService) SetLanguage(lang string) error {
	if lang != "" && !supported(lang) {
		return backend.Errorf(backend.EInvalid, "settings.language_invalid", "language %q is not available", lang).WithParam("language", lang)
	}
	ctx, cancel := s.app.call()
	defer cancel()
	return s.app.store.SetSetting(ctx, keyLanguage, lang)
}

// CreateDemo fills the workspace with the demo clients and posts.
func (s *SettingsService) CreateDemo() (demo.Report, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	r, err := demo.Seed(ctx, s.app.store, s.app.cfg.Clock)
	if err != nil {
		return r, err
	}
	// Instagram and the other networks that need one get an image (#16).
	if err := s.app.demoImages(ctx, r); err != nil {
		return r, err
	}
	// Three months of published posts with figures, for the report (#15).
	if r.History, err = demo.SeedHistory(ctx, s.app.store, s.app.cfg.Clock, r.Clients); err != nil {
		return r, err
	}
	if err := s.app.store.SetSetting(ctx, keyFirstRun, "demo"); err != nil {
		return r, err
	}
	s.app.emitter.Emit(EventClientsChanged)
	s.app.emitter.Emit(EventPostsChanged)
	return r, nil
}

// StartEmpty records that the user chose an empty workspace.
func (s *SettingsService) StartEmpty() error {
	ctx, cancel := s.app.call()
	defer cancel()
	return s.app.store.SetSetting(ctx, keyFirstRun, "empty")
}

func supported(lang string) bool {
	for _, l := range uiLanguages {
		if l == lang {
			return true
		}
	}
	return false
}

// SystemLanguage reads the UI language from the POSIX locale variables
// (LC_ALL, LC_MESSAGES, LANG), e.g. "it_IT.UTF-8" → "it". It returns "" when
// none names a supported language; the frontend then asks the web view.
func SystemLanguage(getenv func(string) string) string {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(k)
		if v == "" || v == "C" || v == "POSIX" || strings.HasPrefix(v, "C.") {
			continue
		}
		lang := strings.ToLower(strings.FieldsFunc(v, func(r rune) bool { return r == '_' || r == '.' || r == '-' || r == '@' })[0])
		if supported(lang) {
			return lang
		}
		return ""
	}
	return ""
}
