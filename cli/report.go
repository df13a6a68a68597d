package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"pauta/app"
	"pauta/backend"
	"pauta/backend/report"
	"pauta/backend/sqlite"
)

const reportUsage = `Usage:
  pauta report [--data-dir DIR] --client NAME (--month YYYY-MM | --from YYYY-MM-DD --to YYYY-MM-DD)
               [--csv [--sep ';'|','|tab]] -o FILE

Write a client's report: a PDF (A4, in the client's content language) or,
with --csv, a CSV of every post published in the period with its figures.

  --client NAME      the client (as named in Pauta)
  --month YYYY-MM    a calendar month in the client's time zone
  --from, --to DATE  a range of days instead, both included
  --csv              write the posts as CSV instead of the PDF
  --sep S            CSV separator (default: ';' with a BOM for es/it clients, ',' for en)
  -o FILE            the file to write (replaced atomically)
  --data-dir DIR     the workspace (default: $PAUTA_DATA_DIR or the config folder)
`

// runReport runs `pauta report`; args are the words after it.
func runReport(env Env, args []string) int {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dataDir := fs.String("data-dir", "", "workspace folder")
	client := fs.String("client", "", "client name")
	month := fs.String("month", "", "month")
	from := fs.String("from", "", "first day")
	to := fs.String("to", "", "last day")
	asCSV := fs.Bool("csv", false, "CSV")
	sep := fs.String("sep", "", "CSV separator")
	out := fs.String("o", "", "output file")
	help := fs.Bool("help", false, "show help")
	fs.BoolVar(help, "h", false, "show help")
	usageErr := func(msg string) int {
		fmt.Fprintf(env.Stderr, "pauta report: %s\n\n%s", msg, reportUsage)
		return 2
	}
	if err := fs.Parse(args); err != nil {
		return usageErr(err.Error())
	}
	if *help {
		fmt.Fprint(env.Stdout, reportUsage)
		return 0
	}
	switch {
	case fs.NArg() > 0:
		return usageErr(fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	case *client == "":
		return usageErr("give the client with --client NAME")
	case *out == "":
		return usageErr("give the file to write with -o FILE")
	case (*month == "") == (*from == "" && *to == ""):
		return usageErr("give either --month YYYY-MM or --from and --to")
	case *month == "" && (*from == "" || *to == ""):
		return usageErr("give both --from and --to")
	}
	var separator rune
	switch *sep {
	case "":
	case ";", ",":
		separator = rune((*sep)[0])
	case "tab", "\t":
		separator = '\t'
	default:
		return usageErr(fmt.Sprintf("unknown separator %q (use ';', ',' or tab)", *sep))
	}

	ws := *dataDir
	if ws == "" {
		d, err := app.DefaultDataDir()
		if err != nil {
			return reportFailed(env, err)
		}
		ws = d
	}
	if _, err := os.Stat(filepath.Join(ws, app.DBFile)); err != nil {
		return reportFailed(env, backend.Errorf(backend.ENotFound, "report.no_workspace",
			"no Pauta workspace in %s (check --data-dir, or create one with `pauta demo`)", ws))
	}
	// Read-only, without the lock: works while the app has the workspace open.
	store, err := sqlite.OpenReadOnly(context.Background(), filepath.Join(ws, app.DBFile), env.Clock)
	if err != nil {
		return reportFailed(env, err)
	}
	defer store.Close()
	ctx := context.Background()
	c, err := store.FindClientByName(ctx, *client)
	if err != nil {
		return reportFailed(env, err)
	}
	loc, err := backend.LoadZone(c.TimeZone)
	if err != nil {
		return reportFailed(env, err)
	}
	var p report.Period
	if *month != "" {
		p, err = report.MonthPeriod(*month, loc)
	} else {
		p, err = report.DaysPeriod(*from, *to, loc)
	}
	if err != nil {
		return reportFailed(env, err)
	}
	inbox, _ := any(store).(backend.InboxReader) // the inbox's store, when this build has one
	r, err := report.Load(ctx, store, inbox, c, p)
	if err != nil {
		return reportFailed(env, err)
	}
	if *asCSV {
		err = report.WriteCSV(*out, r, report.CSVOptions{Separator: separator})
	} else {
		author, _, _ := store.GetSetting(ctx, app.KeyUserName)
		thumb, closeMedia := app.ReportThumbsReadOnly(ctx, store, ws)
		err = report.WritePDF(*out, r, report.PDFOptions{Author: author, Now: env.Clock.Now(), Thumb: thumb})
		closeMedia()
	}
	if err != nil {
		return reportFailed(env, err)
	}
	fmt.Fprintf(env.Stdout, "Wrote the report of %s for %s (%s) to %s\n", c.Name, report.PeriodLabel("en", p), plural(len(r.Posts), "post"), *out)
	return 0
}

func reportFailed(env Env, err error) int {
	var e *backend.Error
	if errors.As(err, &e) {
		fmt.Fprintf(env.Stderr, "pauta report: %s\n", e.Message)
	} else {
		fmt.Fprintf(env.Stderr, "pauta report: %v\n", err)
	}
	return 1
}
