package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/demo"
	"pauta/backend/sqlite"

	"github.com/emersion/go-ical"
)

// fakeDialogs answers the dialogs with fixed paths and remembers the asks.
type fakeDialogs struct {
	file, folder string
	err          error
	asked        []string
}

func (f *fakeDialogs) SaveFile(name string) (string, error) {
	f.asked = append(f.asked, "save:"+name)
	return f.file, f.err
}

func (f *fakeDialogs) PickFolder() (string, error) {
	f.asked = append(f.asked, "folder")
	return f.folder, f.err
}

var _ Dialogs = (*fakeDialogs)(nil)

// progressRecorder keeps export:progress payloads.
type progressRecorder struct {
	mu     sync.Mutex
	events []string
}

func (r *progressRecorder) Emit(name string, data ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if name == EventExportProgress && len(data) == 1 {
		p := data[0].(ExportProgress)
		r.events = append(r.events, fmt.Sprintf("%d/%d %s %s", p.Done, p.Total, p.Client, p.File))
		return
	}
	r.events = append(r.events, name)
}

var exportTestNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

func newExportService(t *testing.T, dialogs Dialogs) (*ExportService, *sqlite.DB, *progressRecorder) {
	t.Helper()
	clock := backend.FixedClock{T: exportTestNow}
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), DBFile), clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := demo.Seed(context.Background(), db, clock); err != nil {
		t.Fatal(err)
	}
	rec := &progressRecorder{}
	return NewExportService(context.Background, db, clock, dialogs, rec), db, rec
}

func readCal(t *testing.T, path string) *ical.Calendar {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cal, err := ical.NewDecoder(f).Decode()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return cal
}

func countEvents(cal *ical.Calendar) int {
	n := 0
	for _, c := range cal.Children {
		if c.Name == ical.CompEvent {
			n++
		}
	}
	return n
}

func clientID(t *testing.T, db *sqlite.DB, name string) int64 {
	t.Helper()
	c, err := db.FindClientByName(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func TestExportClientToChosenFile(t *testing.T) {
	dir := t.TempDir()
	dlg := &fakeDialogs{file: filepath.Join(dir, "sol")} // no extension: .ics is added
	s, db, _ := newExportService(t, dlg)
	res, err := s.ExportClient(clientID(t, db, "Panadería Sol"), ExportOptions{IncludeDrafts: true, DurationMinutes: 30})
	if err != nil {
		t.Fatal(err)
	}
	if res.Path != filepath.Join(dir, "sol.ics") || res.Files != 1 || res.Events != 14 {
		t.Errorf("result %+v, want sol.ics with the 14 posts of Panadería Sol", res)
	}
	if strings.Join(dlg.asked, ",") != "save:panaderia-sol.ics" {
		t.Errorf("dialogs asked: %v", dlg.asked)
	}
	cal := readCal(t, res.Path)
	if n := countEvents(cal); n != res.Events {
		t.Errorf("%d events in the file, %d reported", n, res.Events)
	}
	if name, _ := cal.Props.Text("X-WR-CALNAME"); name != "Panadería Sol" {
		t.Errorf("X-WR-CALNAME %q", name)
	}
	ev := cal.Children[len(cal.Children)-1]
	start, _ := ev.Props.DateTime(ical.PropDateTimeStart, nil)
	end, _ := ev.Props.DateTime(ical.PropDateTimeEnd, nil)
	if end.Sub(start) != 30*time.Minute {
		t.Errorf("DurationMinutes 30 gave %v", end.Sub(start))
	}
}

func TestExportAllClientsToFile(t *testing.T) {
	dlg := &fakeDialogs{file: filepath.Join(t.TempDir(), "all.ics")}
	s, _, _ := newExportService(t, dlg)
	res, err := s.ExportClient(0, ExportOptions{From: "2026-11-23", To: "2026-11-29"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(dlg.asked, ",") != "save:pauta-all-clients.ics" || res.Events == 0 {
		t.Errorf("asked %v, result %+v", dlg.asked, res)
	}
	if name, _ := readCal(t, res.Path).Props.Text("X-WR-CALNAME"); name != "Pauta — all clients" {
		t.Errorf("X-WR-CALNAME %q", name)
	}
}

func TestExportCancelled(t *testing.T) {
	dlg := &fakeDialogs{}
	s, db, rec := newExportService(t, dlg)
	res, err := s.ExportClient(clientID(t, db, "Studio Brera"), ExportOptions{})
	if err != nil || res != (ExportResult{}) {
		t.Errorf("cancelled save: %+v, %v", res, err)
	}
	res, err = s.ExportAllToFolder(ExportOptions{})
	if err != nil || res != (ExportResult{}) {
		t.Errorf("cancelled folder: %+v, %v", res, err)
	}
	if len(rec.events) != 0 {
		t.Errorf("events after a cancel: %v", rec.events)
	}
}

func TestExportBadInputFailsBeforeTheDialog(t *testing.T) {
	dlg := &fakeDialogs{file: filepath.Join(t.TempDir(), "x.ics"), folder: t.TempDir()}
	s, db, _ := newExportService(t, dlg)
	id := clientID(t, db, "Studio Brera")
	for _, tc := range []struct {
		id   int64
		opts ExportOptions
		key  string
	}{
		{id, ExportOptions{From: "2026-12-01", To: "2026-11-01"}, "ics.range_inverted"},
		{id, ExportOptions{From: "01/12/2026"}, "ics.date_invalid"},
		{id, ExportOptions{DurationMinutes: -5}, "ics.duration_invalid"},
		{9999, ExportOptions{}, "client.not_found"},
	} {
		_, err := s.ExportClient(tc.id, tc.opts)
		if e := backend.AsError(err); e == nil || e.Key != tc.key {
			t.Errorf("%+v: got %v, want %s", tc.opts, err, tc.key)
		}
	}
	if _, err := s.ExportAllToFolder(ExportOptions{From: "2026-12-01", To: "2026-11-01"}); backend.AsError(err).Key != "ics.range_inverted" {
		t.Errorf("folder with inverted range: %v", err)
	}
	if len(dlg.asked) != 0 {
		t.Errorf("a dialog opened for bad input: %v", dlg.asked)
	}

	boom := errors.New("no display")
	dlg.err = boom
	if _, err := s.ExportClient(id, ExportOptions{}); !errors.Is(err, boom) {
		t.Errorf("dialog failure: %v", err)
	}
	// An unwritable choice is reported and leaves nothing.
	dlg.err, dlg.file = nil, filepath.Join(t.TempDir(), "missing", "x.ics")
	if _, err := s.ExportClient(id, ExportOptions{}); backend.AsError(err).Key != "ics.output_unwritable" {
		t.Errorf("unwritable: %v", err)
	}
	if _, err := os.Stat(filepath.Dir(dlg.file)); !os.IsNotExist(err) {
		t.Errorf("something was created at %s", filepath.Dir(dlg.file))
	}
}

func TestExportAllToFolderReportsProgress(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "calendars")
	s, _, rec := newExportService(t, &fakeDialogs{folder: dir})
	res, err := s.ExportAllToFolder(ExportOptions{IncludeDrafts: true})
	if err != nil {
		t.Fatal(err)
	}
	_, _, posts := demo.Counts()
	if res.Path != dir || res.Files != 3 || res.Events != posts {
		t.Errorf("result %+v, want 3 files and %d events", res, posts)
	}
	want := []string{"0/3  ", "1/3 Hearth Yoga London hearth-yoga-london.ics", "2/3 Panadería Sol panaderia-sol.ics", "3/3 Studio Brera studio-brera.ics"}
	if fmt.Sprint(rec.events) != fmt.Sprint(want) {
		t.Errorf("progress events\n got %q\nwant %q", rec.events, want)
	}
	total := 0
	for _, f := range []string{"hearth-yoga-london.ics", "panaderia-sol.ics", "studio-brera.ics"} {
		total += countEvents(readCal(t, filepath.Join(dir, f)))
	}
	if total != posts {
		t.Errorf("%d events in the files, want %d", total, posts)
	}
}
