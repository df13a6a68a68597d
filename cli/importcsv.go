package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"pauta/app"
	"pauta/backend"
	"pauta/backend/csvimport"
)

const importUsage = `Usage:
  pauta import-csv [--data-dir DIR] --client NAME [--day-first|--month-first] [--dry-run]
                   [--skip-invalid] FILE

Import posts from a spreadsheet saved as CSV (Excel, LibreOffice, Google
Sheets; UTF-8 or UTF-16, separated by ; , or tab). Row 1 names the columns:
date, time, account, text, first_comment, labels, media, alt, status,
timezone, text_<network> (or fecha, hora, cuenta, texto… / data, ora,
account, testo…). One row is one post.

It prints one line per rejected row, "row N: <column>: <reason>" (N as the
spreadsheet numbers rows; the header is row 1), then a summary. With rejected
rows and no --skip-invalid it writes nothing and exits 1. Rows that repeat a
post already there (same account, time and text) are skipped.

  --client NAME    the client the posts are for
  --day-first      dates like 05/03/2026 are 5 March (DD/MM/YYYY)
  --month-first    dates like 05/03/2026 are 3 May (MM/DD/YYYY)
                   (without either, only YYYY-MM-DD and unambiguous dates are read)
  --dry-run        check the file and say what would be imported; write nothing
  --skip-invalid   import the good rows and leave out the rejected ones
  --data-dir DIR   the workspace (default: $PAUTA_DATA_DIR or the config folder)

The app must be closed on this workspace (use Import posts… in the app instead).
`

// runImportCSV runs `pauta import-csv`; args are the words after it.
func runImportCSV(env Env, args []string) int {
	fs := flag.NewFlagSet("import-csv", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dataDir := fs.String("data-dir", "", "workspace folder")
	client := fs.String("client", "", "client name")
	dayFirst := fs.Bool("day-first", false, "DD/MM/YYYY")
	monthFirst := fs.Bool("month-first", false, "MM/DD/YYYY")
	dry := fs.Bool("dry-run", false, "write nothing")
	skip := fs.Bool("skip-invalid", false, "leave out rejected rows")
	help := fs.Bool("help", false, "show help")
	fs.BoolVar(help, "h", false, "show help")
	// FILE may come before the flags too: parse what follows it again.
	var file string
	for {
		if err := fs.Parse(args); err != nil {
			fmt.Fprintf(env.Stderr, "pauta import-csv: %v\n\n%s", err, importUsage)
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		if file != "" {
			fmt.Fprintf(env.Stderr, "pauta import-csv: one FILE only (got %q and %q)\n\n%s", file, fs.Arg(0), importUsage)
			return 2
		}
		file, args = fs.Arg(0), fs.Args()[1:]
	}
	if *help {
		fmt.Fprint(env.Stdout, importUsage)
		return 0
	}
	if file == "" || *client == "" {
		fmt.Fprintf(env.Stderr, "pauta import-csv: give --client NAME and the FILE\n\n%s", importUsage)
		return 2
	}
	if *dayFirst && *monthFirst {
		fmt.Fprintf(env.Stderr, "pauta import-csv: --day-first or --month-first, not both\n\n%s", importUsage)
		return 2
	}
	order := ""
	if *dayFirst {
		order = string(csvimport.DayFirst)
	} else if *monthFirst {
		order = string(csvimport.MonthFirst)
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return importFailed(env, err)
	}
	ws := *dataDir
	if ws == "" {
		if ws, err = app.DefaultDataDir(); err != nil {
			return importFailed(env, err)
		}
	}
	// Importing must not create an empty workspace in a mistyped folder.
	if _, err := os.Stat(filepath.Join(ws, app.DBFile)); err != nil {
		return importFailed(env, backend.Errorf(backend.ENotFound, "csv.no_workspace",
			"no Pauta workspace in %s (check --data-dir, or create one with `pauta demo`)", ws))
	}
	a, err := openWorkspace(env, ws, app.RoleImport)
	if err != nil {
		return importFailed(env, err)
	}
	defer a.Close()
	c, err := a.Store().FindClientByName(a.Context(), *client)
	if err != nil {
		return importFailed(env, err)
	}
	req := app.ImportRequest{ClientID: c.ID, Path: abs, Order: order, SkipInvalid: *skip}
	if *dry {
		pv, err := a.Imports.Preview(req)
		if err != nil {
			return importFailed(env, err)
		}
		printRows(env, pv.Plan)
		fmt.Fprintf(env.Stdout, "%s to import, %s rejected\n", plural(pv.Plan.Create, "post"), plural(pv.Plan.Rejected, "row"))
		if pv.Plan.Rejected > 0 && !*skip {
			return 1
		}
		return 0
	}
	res, err := a.Imports.Apply(req)
	if res.Plan != nil {
		printRows(env, res.Plan)
	}
	if err != nil {
		var e *backend.Error
		if errors.As(err, &e) && e.Key == "csv.rows_rejected" {
			fmt.Fprintf(env.Stdout, "nothing imported: %s rejected (fix them, or use --skip-invalid)\n", plural(res.Plan.Rejected, "row"))
			return 1
		}
		return importFailed(env, err)
	}
	if res.Imported == 0 {
		fmt.Fprintln(env.Stdout, "imported 0 posts")
		return 0
	}
	fmt.Fprintf(env.Stdout, "imported %s (label %s)\n", plural(res.Imported, "post"), res.Import.Label)
	return 0
}

// printRows prints the rejected rows, then the skipped duplicates.
func printRows(env Env, p *csvimport.Plan) {
	for _, l := range csvimport.RejectedLines(p) {
		fmt.Fprintln(env.Stdout, l)
	}
	for _, r := range p.Rows {
		if r.Outcome == csvimport.OutDuplicate {
			fmt.Fprintf(env.Stdout, "row %d: skipped: the same post (account, time and text) is already there\n", r.Row)
		}
	}
	for _, w := range p.FileWarnings {
		fmt.Fprintf(env.Stderr, "pauta import-csv: %s\n", w.Message)
	}
}

func importFailed(env Env, err error) int {
	var e *backend.Error
	if errors.As(err, &e) {
		msg := e.Message
		if row := e.Params["row"]; row != "" {
			msg = "row " + row + ": " + msg
		}
		fmt.Fprintf(env.Stderr, "pauta import-csv: %s\n", msg)
	} else {
		fmt.Fprintf(env.Stderr, "pauta import-csv: %v\n", err)
	}
	return 1
}
