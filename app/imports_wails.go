package app

import (
	"context"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"
)

// wailsCSVDialogs are the CSV import's file dialogs through the Wails runtime.
type wailsCSVDialogs struct{ ctx func() context.Context }

func (d wailsCSVDialogs) OpenCSV() (string, error) {
	return wruntime.OpenFileDialog(d.ctx(), wruntime.OpenDialogOptions{
		Title: "Import posts from CSV",
		Filters: []wruntime.FileFilter{
			{DisplayName: "CSV (*.csv, *.txt, *.tsv)", Pattern: "*.csv;*.CSV;*.txt;*.tsv"},
		},
	})
}

func (d wailsCSVDialogs) SaveCSV(defaultName string) (string, error) {
	return wruntime.SaveFileDialog(d.ctx(), wruntime.SaveDialogOptions{
		Title:                "Save rows to fix",
		DefaultFilename:      defaultName,
		CanCreateDirectories: true,
		Filters:              []wruntime.FileFilter{{DisplayName: "CSV (*.csv)", Pattern: "*.csv"}},
	})
}
