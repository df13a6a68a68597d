// Pauta: plan and publish social posts for several client brands, offline first.
package main

import (
	"embed"
	"io/fs"
	"os"

	"pauta/app"
	"pauta/backend/media"
	"pauta/cli"

	"github.com/wailsapp/wails/v2"
)

//go:embed all:frontend/dist
var assets embed.FS

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func main() {
	media.ServeDecoder() // when started as the HEIC/AVIF decoder: serve, then exit
	args, tmp := os.Args[1:], ""
	if generatingBindings {
		if dir, err := os.MkdirTemp("", "pauta-bindings-"); err == nil {
			args, tmp = []string{"--data-dir", dir}, dir
		}
	}
	code := cli.Run(cli.Env{
		Args:    args,
		Stdout:  os.Stdout,
		Stderr:  os.Stderr,
		Version: version,
		Launch: func(a *app.App) error {
			dist, err := fs.Sub(assets, "frontend/dist")
			if err != nil {
				return err
			}
			return wails.Run(app.Options(a, dist))
		},
		Forward: func(dir string, busy error) error {
			return wails.Run(app.ForwardOptions(dir, busy))
		},
	})
	if tmp != "" {
		os.RemoveAll(tmp)
	}
	os.Exit(code)
}
