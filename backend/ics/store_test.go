package ics_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"pauta/backend"
	"pauta/backend/demo"
	"pauta/backend/ics"
	"pauta/backend/sqlite"

	"github.com/emersion/go-ical"
)

func openStore(t *testing.T) (*sqlite.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pauta.db")
	db, err := sqlite.Open(context.Background(), path, backend.FixedClock{T: testNow})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func seedOne(t *testing.T, db *sqlite.DB) (*backend.Client, *backend.Post) {
	t.Helper()
	ctx := context.Background()
	c := &backend.Client{Name: "Panadería Sol", TimeZone: "Europe/Madrid"}
	if err := db.CreateClient(ctx, c); err != nil {
		t.Fatal(err)
	}
	a := &backend.Account{ClientID: c.ID, Network: backend.Instagram, Handle: "@panaderiasol"}
	if err := db.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	p := &backend.Post{ClientID: c.ID, Status: backend.StatusScheduled, BaseText: "Pan de masa madre",
		ScheduledAt: local(t, "Europe/Madrid", "2026-12-01 09:00"), Variants: []backend.Variant{{AccountID: a.ID}}}
	if err := db.CreatePost(ctx, p); err != nil {
		t.Fatal(err)
	}
	return c, p
}

func exportStore(t *testing.T, svc *ics.Service, names ...string) *ical.Calendar {
	t.Helper()
	ctx := context.Background()
	sel, err := svc.Clients(ctx, names)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := svc.Write(ctx, &b, sel, ics.Options{}); err != nil {
		t.Fatal(err)
	}
	checkLines(t, b.Bytes())
	return decode(t, b.String())
}

func onlyEvent(t *testing.T, cal *ical.Calendar) *ical.Component {
	t.Helper()
	evs := events(t, cal)
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1", len(evs))
	}
	for _, e := range evs {
		return e
	}
	return nil
}

// TestUIDStableAcrossExportsAndReschedule: the same post keeps its UID in a
// second export and after a reschedule, while SEQUENCE grows, so a
// re-import updates the event instead of adding a copy.
func TestUIDStableAcrossExportsAndReschedule(t *testing.T) {
	db, _ := openStore(t)
	_, p := seedOne(t, db)
	svc := ics.NewService(db, backend.FixedClock{T: testNow})

	first := onlyEvent(t, exportStore(t, svc))
	second := onlyEvent(t, exportStore(t, svc))
	uid := text(t, first, ical.PropUID)
	if !strings.HasPrefix(uid, "post-"+itoa(p.ID)+"-") || !strings.HasSuffix(uid, "@pauta.app") || len(uid) != len("post-1-01234567@pauta.app")+len(itoa(p.ID))-1 {
		t.Errorf("UID %q does not look like post-<id>-<8 hex>@pauta.app", uid)
	}
	if text(t, second, ical.PropUID) != uid {
		t.Errorf("UID changed between two exports: %q then %q", uid, text(t, second, ical.PropUID))
	}

	p.ScheduledAt = local(t, "Europe/Madrid", "2026-12-02 11:30")
	if err := db.UpdatePost(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	moved := onlyEvent(t, exportStore(t, svc))
	if text(t, moved, ical.PropUID) != uid {
		t.Errorf("UID changed after a reschedule")
	}
	if a, b := first.Props.Get(ical.PropSequence).Value, moved.Props.Get(ical.PropSequence).Value; a != "0" || b != "1" {
		t.Errorf("SEQUENCE %s then %s, want 0 then 1", a, b)
	}
	if got := moved.Props.Get(ical.PropDateTimeStart).Value; got != "20261202T113000" {
		t.Errorf("DTSTART after reschedule = %s", got)
	}

	// Another workspace numbers its posts from 1 too: its UIDs differ.
	other, _ := openStore(t)
	seedOne(t, other)
	elsewhere := onlyEvent(t, exportStore(t, ics.NewService(other, backend.FixedClock{T: testNow})))
	if text(t, elsewhere, ical.PropUID) == uid {
		t.Errorf("two workspaces share UID %s", uid)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// fakeSettings is a SettingsStore in memory.
type fakeSettings map[string]string

func (f fakeSettings) GetSetting(_ context.Context, k string) (string, bool, error) {
	v, ok := f[k]
	return v, ok, nil
}
func (f fakeSettings) SetSetting(_ context.Context, k, v string) error { f[k] = v; return nil }

var _ backend.SettingsStore = fakeSettings(nil)

func TestNamespace(t *testing.T) {
	ctx := context.Background()
	s := fakeSettings{}
	a, err := ics.Namespace(ctx, s, strings.NewReader(strings.Repeat("x", 16)))
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 8 || strings.Trim(a, "0123456789abcdef") != "" {
		t.Errorf("namespace %q is not 8 hex digits", a)
	}
	if s[ics.WorkspaceIDKey] != "78787878787878787878787878787878" {
		t.Errorf("workspace id stored as %q", s[ics.WorkspaceIDKey])
	}
	// Created once: a second call reads it back and needs no randomness.
	b, err := ics.Namespace(ctx, s, strings.NewReader(""))
	if err != nil || b != a {
		t.Errorf("second call: %q, %v; want %q", b, err, a)
	}
	if _, err := ics.Namespace(ctx, fakeSettings{}, strings.NewReader("short")); err == nil {
		t.Errorf("a failing random source is not reported")
	}
}

func TestUnknownClientListsKnownOnes(t *testing.T) {
	db, _ := openStore(t)
	if _, err := demo.Seed(context.Background(), db, backend.FixedClock{T: testNow}); err != nil {
		t.Fatal(err)
	}
	svc := ics.NewService(db, backend.FixedClock{T: testNow})
	sel, err := svc.Clients(context.Background(), []string{"panadería sol", "Panadería Sol", "Studio Brera"})
	if err != nil || len(sel.Clients) != 2 || sel.All {
		t.Fatalf("case-insensitive lookup without duplicates: %+v, %v", sel, err)
	}
	_, err = svc.Clients(context.Background(), []string{"Panaderia Luna"})
	e := backend.AsError(err)
	if e == nil || e.Key != "ics.client_unknown" || e.Code != backend.ENotFound {
		t.Fatalf("got %v", err)
	}
	for _, name := range []string{"Panaderia Luna", "Hearth Yoga London", "Panadería Sol", "Studio Brera"} {
		if !strings.Contains(e.Message, name) {
			t.Errorf("message %q does not mention %s", e.Message, name)
		}
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cal.ics")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	err := ics.WriteFileAtomic(path, func(w io.Writer) error {
		io.WriteString(w, "BEGIN:VCALENDAR\r\npartial")
		return boom
	})
	if e := backend.AsError(err); e == nil || e.Key != "ics.output_unwritable" || !strings.Contains(e.Message, "disk full") {
		t.Errorf("got %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("the existing file changed to %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("leftovers in %s: %v", dir, entries)
	}
	// A domain error from the writer comes back as it is.
	inv := backend.Errorf(backend.EInvalid, "ics.range_inverted", "inverted")
	if err := ics.WriteFileAtomic(path, func(io.Writer) error { return inv }); backend.AsError(err) != inv {
		t.Errorf("got %v, want the writer's own error", err)
	}
	if err := ics.WriteFileAtomic(filepath.Join(dir, "missing", "cal.ics"), func(io.Writer) error { return nil }); backend.AsError(err).Key != "ics.output_unwritable" {
		t.Errorf("missing folder: %v", err)
	}
	if err := ics.WriteFileAtomic(dir, func(io.Writer) error { return nil }); backend.AsError(err).Key != "ics.output_unwritable" {
		t.Errorf("a folder as output: %v", err)
	}
	if err := ics.WriteFileAtomic(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("file holds %q", b)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", fi.Mode().Perm())
	}
}

func TestWriteDir(t *testing.T) {
	db, _ := openStore(t)
	ctx := context.Background()
	if _, err := demo.Seed(ctx, db, backend.FixedClock{T: testNow}); err != nil {
		t.Fatal(err)
	}
	svc := ics.NewService(db, backend.FixedClock{T: testNow})
	sel, err := svc.Clients(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "new", "folder")
	var seen []string
	res, err := svc.WriteDir(ctx, dir, sel, ics.Options{IncludeDrafts: true}, func(done, total int, r ics.FileResult) {
		seen = append(seen, fmt.Sprintf("%d/%d %s", done, total, r.File))
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "[1/3 hearth-yoga-london.ics 2/3 panaderia-sol.ics 3/3 studio-brera.ics]"
	if got := fmt.Sprint(seen); got != want {
		t.Errorf("progress %v, want %s", seen, want)
	}
	_, _, posts := demo.Counts()
	total := 0
	for _, r := range res {
		b, err := os.ReadFile(r.Path)
		if err != nil {
			t.Fatal(err)
		}
		checkLines(t, b)
		cal := decode(t, string(b))
		if got := text(t, cal.Component, "X-WR-CALNAME"); got != r.Client.Name {
			t.Errorf("%s: X-WR-CALNAME %q", r.File, got)
		}
		if got := text(t, cal.Component, "X-WR-TIMEZONE"); got != r.Client.TimeZone {
			t.Errorf("%s: X-WR-TIMEZONE %q", r.File, got)
		}
		if len(events(t, cal)) != r.Events {
			t.Errorf("%s: %d events, reported %d", r.File, len(events(t, cal)), r.Events)
		}
		total += r.Events
	}
	if total != posts { // the demo has no ideas: every post is dated
		t.Errorf("%d events in all, want %d", total, posts)
	}
}

func TestFileNames(t *testing.T) {
	got := ics.FileNames([]backend.Client{
		{ID: 1, Name: "Panadería Sol"}, {ID: 2, Name: "Studio  Brera / Milano"}, {ID: 3, Name: "Çà & Là"},
		{ID: 4, Name: "Sol"}, {ID: 5, Name: "SÓL"}, {ID: 6, Name: "☀️"}, {ID: 7, Name: "CON"}, {ID: 8, Name: "Panaderi\u0301a Luna"},
		{ID: 9, Name: "東京デザイン"},
	})
	want := []string{"panaderia-sol.ics", "studio-brera-milano.ics", "ca-la.ics", "sol-4.ics", "sol-5.ics", "client-6.ics",
		"con-client.ics", "panaderia-luna.ics", "東京デザイン.ics"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("FileNames\n got %v\nwant %v", got, want)
	}
}

func TestLoadNarrowsByZone(t *testing.T) {
	db, _ := openStore(t)
	ctx := context.Background()
	c, p := seedOne(t, db) // 2026-12-01 09:00 Madrid
	late := &backend.Post{ClientID: c.ID, Status: backend.StatusScheduled, BaseText: "Noche",
		ScheduledAt: local(t, "Europe/Madrid", "2026-12-01 23:59"), Variants: []backend.Variant{{AccountID: p.Variants[0].AccountID}}}
	if err := db.CreatePost(ctx, late); err != nil {
		t.Fatal(err)
	}
	svc := ics.NewService(db, backend.FixedClock{T: testNow})
	sel, _ := svc.Clients(ctx, nil)
	for _, tc := range []struct {
		from, to string
		want     int
	}{{"2026-12-01", "2026-12-01", 2}, {"2026-12-02", "", 0}, {"", "2026-11-30", 0}, {"2026-11-30", "2026-12-01", 2}} {
		var b bytes.Buffer
		n, err := svc.Write(ctx, &b, sel, ics.Options{From: tc.from, To: tc.to})
		if err != nil || n != tc.want {
			t.Errorf("%s..%s: %d events (%v), want %d", tc.from, tc.to, n, err, tc.want)
		}
	}
}
