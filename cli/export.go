package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"pauta/app"
	"pauta/backend"
	"pauta/backend/ics"
	"pauta/backend/sqlite"
)

const exportUsage = `Usage:
  pauta export-ics [--data-dir DIR] [--client NAME]... [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                   [--include-drafts] [--duration 15m] (-o FILE | --dir DIR)

Export the posting calendar as iCalendar (.ics), to import into Google
Calendar (Settings → Import & export), Apple Calendar or Thunderbird.
Importing a newer export again updates the events instead of copying them.

  --client NAME      a client to export (repeat for several); none = all active clients
  --from, --to DATE  first and last day, inclusive, in each client's time zone
  --include-drafts   add drafts as tentative events (ideas have no date: never)
  --duration D       length of each event (default 15m)
  -o FILE            write one calendar to FILE ("-" = standard output)
  --dir DIR          write one calendar per client into DIR (<client>.ics)
  --data-dir DIR     the workspace (default: $PAUTA_DATA_DIR or the config folder)
`

// names collects a repeated --client flag.
type names []string

func (n *names) String() string     { return strings.Join(*n, ", ") }
func (n *names) Set(v string) error { *n = append(*n, v); return nil }

// runExportICS runs `pauta export-ics`; args are the words after it.
func runExportICS(env Env, args []string) int {
	fs := flag.NewFlagSet("export-ics", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dataDir := fs.String("data-dir", "", "workspace folder")
	var clients names
	fs.Var(&clients, "client", "client name")
	from := fs.String("from", "", "first day")
	to := fs.String("to", "", "last day")
	drafts := fs.Bool("include-drafts", false, "add drafts")
	duration := fs.Duration("duration", ics.DefaultDuration, "event length")
	out := fs.String("o", "", "output file")
	dir := fs.String("dir", "", "output folder")
	help := fs.Bool("help", false, "show help")
	fs.BoolVar(help, "h", false, "show help")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(env.Stderr, "pauta export-ics: %v\n\n%s", err, exportUsage)
		return 2
	}
	if *help {
		fmt.Fprint(env.Stdout, exportUsage)
		return 0
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "pauta export-ics: unexpected argument %q\n\n%s", fs.Arg(0), exportUsage)
		return 2
	}
	if (*out == "") == (*dir == "") {
		fmt.Fprintf(env.Stderr, "pauta export-ics: give either -o FILE or --dir DIR\n\n%s", exportUsage)
		return 2
	}
	if *duration <= 0 { // Options reads 0 as "the default"; on the command line it is a mistake
		return exportFailed(env, backend.Errorf(backend.EInvalid, "ics.duration_invalid",
			"the event duration must be between 1m and 24h, not %s", *duration))
	}
	opts := ics.Options{From: *from, To: *to, IncludeDrafts: *drafts, Duration: *duration}
	if err := opts.Check(); err != nil {
		return exportFailed(env, err)
	}

	ws := *dataDir
	if ws == "" {
		d, err := app.DefaultDataDir()
		if err != nil {
			return exportFailed(env, err)
		}
		ws = d
	}
	// Exporting must not create an empty workspace in a mistyped folder.
	if _, err := os.Stat(filepath.Join(ws, app.DBFile)); err != nil {
		return exportFailed(env, backend.Errorf(backend.ENotFound, "ics.no_workspace",
			"no Pauta workspace in %s (check --data-dir, or create one with `pauta demo`)", ws).WithParam("path", ws))
	}
	// Read-only and without the workspace lock: exporting works while the
	// app has the workspace open, and on a database nobody may write.
	store, err := sqlite.OpenReadOnly(context.Background(), filepath.Join(ws, app.DBFile), env.Clock)
	if err != nil {
		return exportFailed(env, err)
	}
	defer store.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	svc := ics.NewService(store, env.Clock)
	sel, err := svc.Clients(ctx, clients)
	if err != nil {
		return exportFailed(env, err)
	}

	switch {
	case *dir != "":
		events := 0
		_, err := svc.WriteDir(ctx, *dir, sel, opts, func(done, total int, r ics.FileResult) {
			events += r.Events
			fmt.Fprintf(env.Stdout, "%d/%d %s → %s (%s)\n", done, total, r.Client.Name, r.File, plural(r.Events, "event"))
		})
		if err != nil {
			return exportFailed(env, err)
		}
		fmt.Fprintf(env.Stdout, "Exported %s for %s to %s\n", plural(events, "event"), plural(len(sel.Clients), "client"), *dir)
		return hintDrafts(ctx, env, svc, sel, opts, events)
	case *out == "-":
		n, err := svc.Write(ctx, env.Stdout, sel, opts)
		if err != nil {
			return exportFailed(env, err)
		}
		return hintDrafts(ctx, env, svc, sel, opts, n)
	default:
		n, err := svc.WriteFile(ctx, *out, sel, opts)
		if err != nil {
			return exportFailed(env, err)
		}
		fmt.Fprintf(env.Stdout, "Exported %s for %s to %s\n", plural(n, "event"), plural(len(sel.Clients), "client"), *out)
		return hintDrafts(ctx, env, svc, sel, opts, n)
	}
}

// exportFailed prints err for a person (a domain error's message, not the
// wrapping chain) and returns the exit code 1.
func exportFailed(env Env, err error) int {
	var e *backend.Error
	if errors.As(err, &e) {
		fmt.Fprintf(env.Stderr, "pauta export-ics: %s\n", e.Message)
	} else {
		fmt.Fprintf(env.Stderr, "pauta export-ics: %v\n", err)
	}
	return 1
}

// hintDrafts says on stderr how many drafts in the range were left out, and
// the flag that adds them; or that nothing was scheduled at all. It counts
// them by exporting once more with drafts, to nowhere.
func hintDrafts(ctx context.Context, env Env, svc *ics.Service, sel ics.Selection, o ics.Options, events int) int {
	if o.IncludeDrafts {
		return 0
	}
	o.IncludeDrafts = true
	all, err := svc.Write(ctx, io.Discard, sel, o)
	if err != nil {
		return exportFailed(env, err)
	}
	switch drafts := all - events; {
	case drafts > 0:
		fmt.Fprintf(env.Stderr, "pauta export-ics: left out %s; add %s as tentative events with --include-drafts\n",
			plural(drafts, "draft"), map[bool]string{true: "it", false: "them"}[drafts == 1])
	case events == 0:
		fmt.Fprintln(env.Stderr, "pauta export-ics: no scheduled posts in range")
	}
	return 0
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
