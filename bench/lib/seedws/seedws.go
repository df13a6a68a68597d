// Package seedws is what the benches' seed commands share: a workspace
// opened through the app (no OS keychain) and the busy workspace's clients.
package seedws

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"

	"pauta/app"
	"pauta/backend"
)

// Zones are the seeded clients' time zones, in turn.
var Zones = []string{"Europe/Madrid", "Europe/Rome", "Europe/London", "America/Mexico_City"}

var colors = []string{"#e8833a", "#2f6fde", "#2f9e44", "#c2255c", "#7048e8", "#0c8599", "#e67700", "#5c940d", "#a61e4d", "#364fc7"}

// memSecrets keeps nothing on the OS keychain: a bench connects no account.
type memSecrets map[string]string

func (m memSecrets) Set(_ context.Context, k, v string) error { m[k] = v; return nil }
func (m memSecrets) Get(_ context.Context, k string) (string, error) {
	if v, ok := m[k]; ok {
		return v, nil
	}
	return "", errors.New("not found")
}
func (m memSecrets) Delete(_ context.Context, k string) error { delete(m, k); return nil }

// Open makes dir and opens the workspace in it; it exits on failure.
func Open(ctx context.Context, dir string) *app.App {
	if dir == "" {
		log.Fatal("-data-dir is required")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		log.Fatal(err)
	}
	a, err := app.New(ctx, app.Config{DataDir: dir, Emitter: app.NopEmitter{}, Secrets: memSecrets{}})
	if err != nil {
		log.Fatal(err)
	}
	return a
}

// Client saves the i-th client ("Cliente 01", zone Zones[i%4], Spanish).
func Client(a *app.App, i int) backend.Client {
	c, err := a.Clients.Save(app.ClientInput{Name: fmt.Sprintf("Cliente %02d", i+1), Color: colors[i%len(colors)], TimeZone: Zones[i%len(Zones)], Language: "es"})
	if err != nil {
		log.Fatal(err)
	}
	return c
}
