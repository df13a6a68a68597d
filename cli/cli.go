// Package cli is Pauta's command line: the same binary opens the window or
// runs a subcommand (demo, and later export/import) without one.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"pauta/app"
	"pauta/backend"
	"pauta/backend/wslock"
)

// Launcher opens the desktop window on an open App. main.go supplies the
// Wails one; tests supply a fake.
type Launcher func(a *app.App) error

// Forwarder hands a window start to the Pauta already running on the
// workspace in dataDir (busy is the store.locked refusal naming it). main.go
// supplies the Wails one, which ends the process when the handover works.
type Forwarder func(dataDir string, busy error) error

// Env is what the CLI reads from its surroundings.
type Env struct {
	Args    []string // without the program name
	Stdout  io.Writer
	Stderr  io.Writer
	Version string
	Clock   backend.Clock
	Launch  Launcher
	Forward Forwarder // nil: a busy workspace is only reported
	// Display says whether a window can open (DesktopSession); nil: assume so.
	Display func() bool
	Getenv  func(string) string // the system language for messages; nil: os.Getenv
}

const usage = `Pauta — plan and publish social posts for several clients.

Usage:
  pauta [--data-dir DIR] [--demo]      open the app (--demo: add the demo workspace first)
  pauta demo [--data-dir DIR]          create the demo workspace, print what was created, no window
  pauta export-ics (-o FILE | --dir DIR) [--client NAME]...  export the calendar to .ics (see export-ics --help)
  pauta report --client NAME --month YYYY-MM [--csv] -o FILE   a client's report as PDF or CSV (see report --help)
  pauta import-csv --client NAME [--day-first|--month-first] [--dry-run] [--skip-invalid] FILE
                                       import posts from a spreadsheet saved as CSV (see import-csv --help)
  pauta backup [--data-dir DIR] -o FILE  back up the whole workspace (database and images) to a .zip, even while Pauta is open
  pauta --version                      print the version
  pauta --help                         this help

One Pauta at a time per workspace: a second start brings the open window to
the front, and demo is refused while it is open; export-ics and report work meanwhile.

The workspace lives in --data-dir, else $PAUTA_DATA_DIR, else the per-user
configuration folder (on Linux $XDG_CONFIG_HOME/pauta, usually ~/.config/pauta).
`

// getenv reads the environment through Getenv (os.Getenv when nil).
func (e Env) getenv(key string) string {
	if e.Getenv == nil {
		return os.Getenv(key)
	}
	return e.Getenv(key)
}

// Run runs the command line and returns the exit code.
func Run(env Env) int {
	if env.Clock == nil {
		env.Clock = backend.SystemClock{}
	}
	if code := shiftClock(&env); code != 0 {
		return code
	}
	args := env.Args
	sub := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	if sub == "export-ics" { // its own flags (--client, -o, …) are parsed there
		return runExportICS(env, args)
	}
	if sub == "report" {
		return runReport(env, args)
	}
	if sub == "import-csv" {
		return runImportCSV(env, args)
	}
	if sub == "backup" {
		return runBackup(env, args)
	}
	fs := flag.NewFlagSet("pauta", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dataDir := fs.String("data-dir", "", "workspace folder")
	withDemo := fs.Bool("demo", false, "add the demo workspace before opening")
	version := fs.Bool("version", false, "print the version")
	help := fs.Bool("help", false, "show help")
	fs.BoolVar(help, "h", false, "show help")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(env.Stderr, "pauta: %v\n\n%s", err, usage)
		return 2
	}
	if *help {
		fmt.Fprint(env.Stdout, usage)
		return 0
	}
	if *version {
		fmt.Fprintf(env.Stdout, "pauta %s\n", env.Version)
		return 0
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "pauta: unexpected argument %q\n\n%s", fs.Arg(0), usage)
		return 2
	}
	if sub == "" && refuseWithoutDisplay(env) {
		return 1
	}
	dir := *dataDir
	if dir == "" {
		d, err := app.DefaultDataDir()
		if err != nil {
			fmt.Fprintf(env.Stderr, "pauta: %v\n", err)
			return 1
		}
		dir = d
	}
	switch sub {
	case "":
		return openApp(env, dir, *withDemo)
	case "demo":
		return runDemo(env, dir)
	default:
		fmt.Fprintf(env.Stderr, "pauta: unknown command %q\n\n%s", sub, usage)
		return 2
	}
}

// ClockShiftEnv runs Pauta as at another time: a duration ("24h", "-90m")
// added to the clock, for trying out how it will be on a later day (the
// next day's first frame, a report at the start of a month). Everything
// runs on that clock, the outbox too: due posts go out as at that time.
const ClockShiftEnv = "PAUTA_CLOCK_SHIFT"

// shiftClock applies ClockShiftEnv to env.Clock, saying so on stderr; a
// value that is not a duration is refused (exit code 2).
func shiftClock(env *Env) int {
	v := strings.TrimSpace(env.getenv(ClockShiftEnv))
	if v == "" {
		return 0
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		fmt.Fprintf(env.Stderr, "pauta: %s=%q is not a duration such as 24h or -90m\n", ClockShiftEnv, v)
		return 2
	}
	env.Clock = backend.ShiftedClock{Base: env.Clock, Shift: d}
	fmt.Fprintf(env.Stderr, "pauta: clock shifted by %s (%s)\n", d, ClockShiftEnv)
	return 0
}

// openWorkspace opens the workspace for writing, holding its lock as role:
// refused (store.locked, naming the holder) while another Pauta has it open.
func openWorkspace(env Env, dir, role string) (*app.App, error) {
	return app.New(context.Background(), app.Config{DataDir: dir, Version: env.Version, Clock: env.Clock, Role: role})
}

func openApp(env Env, dir string, withDemo bool) int {
	a, err := openWorkspace(env, dir, app.RoleWindow)
	if err != nil {
		fmt.Fprintf(env.Stderr, "pauta: %v\n", err)
		if wslock.IsLocked(err) && env.Forward != nil {
			// Another Pauta has the workspace: hand this start to its window
			// (Wails ends this process when that works) instead of opening
			// the store a second time.
			if ferr := env.Forward(dir, err); ferr != nil {
				fmt.Fprintf(env.Stderr, "pauta: %v\n", ferr)
			}
		}
		return 1
	}
	defer a.Close() // the window closes it on shutdown too; this covers a failed launch
	if withDemo {
		if _, err := a.Settings.CreateDemo(); err != nil {
			fmt.Fprintf(env.Stderr, "pauta: demo workspace: %v\n", err)
			return 1
		}
	}
	if err := env.Launch(a); err != nil {
		fmt.Fprintf(env.Stderr, "pauta: %v\n", err)
		return 1
	}
	return 0
}

func runDemo(env Env, dir string) int {
	a, err := openWorkspace(env, dir, app.RoleDemo)
	if err != nil {
		fmt.Fprintf(env.Stderr, "pauta: %v\n", err)
		return 1
	}
	defer a.Close()
	r, err := a.Settings.CreateDemo()
	if err != nil {
		var e *backend.Error
		if errors.As(err, &e) {
			fmt.Fprintf(env.Stderr, "pauta: %s\n", e.Message)
		} else {
			fmt.Fprintf(env.Stderr, "pauta: %v\n", err)
		}
		return 1
	}
	fmt.Fprintf(env.Stdout, "Demo workspace in %s\n", dir)
	for _, c := range r.Clients {
		fmt.Fprintf(env.Stdout, "  created client %s\n", c)
	}
	for _, c := range r.Skipped {
		fmt.Fprintf(env.Stdout, "  already there, left as it was: %s\n", c)
	}
	fmt.Fprintf(env.Stdout, "Created %d clients, %d accounts, %d posts.\n", len(r.Clients), r.Accounts, r.Posts)
	return 0
}
