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

// wailsArchiveDialogs are the client archive's file dialogs.
type wailsArchiveDialogs struct{ ctx func() context.Context }

func (d wailsArchiveDialogs) SaveArchive(defaultName string) (string, error) {
	return wruntime.SaveFileDialog(d.ctx(), wruntime.SaveDialogOptions{
		Title:                "Export client",
		DefaultFilename:      defaultName,
		CanCreateDirectories: true,
		Filters:              []wruntime.FileFilter{{DisplayName: "Pauta client archive (*.zip)", Pattern: "*.zip"}},
	})
}

func (d wailsArchiveDialogs) OpenArchive() (string, error) {
	return wruntime.OpenFileDialog(d.ctx(), wruntime.OpenDialogOptions{
		Title:   "Import client",
		Filters: []wruntime.FileFilter{{DisplayName: "Pauta client archive (*.zip)", Pattern: "*.zip"}},
	})
}
