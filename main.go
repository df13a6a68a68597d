// Pauta: plan and publish social posts for several client brands, offline first.
package main

import (
	"embed"
	"io/fs"
	"os"
	"runtime"

	"pauta/app"
	"pauta/backend/media"
	"pauta/cli"

	"github.com/wailsapp/wails/v2"
)

//go:embed all:frontend/dist
var assets embed.FS

// version is set at build time with -ldflags "-X main.version=…" from the
// git tag (go run ./build/version); a plain `go build` says it is a dev build
// (a valid dpkg version that sorts before every release).
var version = "0.0.0~dev"

func main() {
	media.ServeDecoder() // when started as the HEIC/AVIF decoder: serve, then exit
	args, tmp := os.Args[1:], ""
	if generatingBindings {
		if dir, err := os.MkdirTemp("", "pauta-bindings-"); err == nil {
			args, tmp = []string{"--data-dir", dir}, dir
		}
	}
	display := func() bool { return cli.DesktopSession(os.Getenv, runtime.GOOS) }
	if generatingBindings {
		display = nil // wails build's bindings run opens no window, headless CI included
	}
	code := cli.Run(cli.Env{
		Display: display,
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
