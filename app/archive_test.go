package app

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"pauta/backend"
)

type fakeArchiveDialogs struct{ save, open string }

func (f fakeArchiveDialogs) SaveArchive(string) (string, error) { return f.save, nil }
func (f fakeArchiveDialogs) OpenArchive() (string, error)       { return f.open, nil }

// zipFiles reads every file of an archive except its manifest (its date
// differs) and calendar.ics (its UIDs name the workspace, on purpose).
func zipFiles(t *testing.T, path string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string][]byte{}
	for _, f := range zr.File {
		if f.Name == "manifest.json" || f.Name == "calendar.ics" {
			continue
		}
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = b
	}
	return out
}

func TestClientArchiveRoundTrip(t *testing.T) {
	a, _ := newApp(t)
	c, err := a.Clients.Save(ClientInput{Name: "Café Luna", Color: "#e8833a", TimeZone: "Europe/Madrid", Language: "es",
		Guidelines: "Cercano", BannedWords: []string{"barato"}, RequiredTags: []string{"#cafe"}})
	if err != nil {
		t.Fatal(err)
	}
	ig, err := a.Clients.AddAccount(AccountInput{ClientID: c.ID, Network: "instagram", Handle: "cafe_luna"})
	if err != nil {
		t.Fatal(err)
	}
	masto, err := a.Clients.AddAccount(AccountInput{ClientID: c.ID, Network: "mastodon", Handle: "@luna@example.social"})
	if err != nil {
		t.Fatal(err)
	}
	acc, _ := a.store.GetAccount(t.Context(), masto.ID)
	acc.Connection, acc.ServiceURL, acc.RemoteID = backend.ConnConnected, "https://example.social", "1234"
	if err := a.store.UpdateAccountConnection(t.Context(), acc); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFile(t, dir, "fotos/taza.jpg", photoJPEG(800, 600, 5))
	csv := "date,time,account,text,text_mastodon,first_comment,labels,media,alt,status\n" +
		"2026-12-01,09:30,instagram|mastodon,\"Largo #cafe ☕\nsalto\",Corto #cafe,Reserva,invierno,fotos/taza.jpg,Una taza,\n" +
		"2026-12-02,18:00,instagram,Borrador #cafe,,,,,,draft\n" +
		",,instagram,Idea #cafe,,,ideas,,,idea\n"
	if _, err := a.Imports.Apply(ImportRequest{ClientID: c.ID, Path: writeFile(t, dir, "plan.csv", []byte(csv))}); err != nil {
		t.Fatal(err)
	}
	posts, _ := a.store.ListPosts(t.Context(), backend.PostFilter{ClientID: c.ID, Ideas: true})
	for _, v := range posts[1].Variants {
		if err := a.Outbox.MarkPublished(v.ID, "https://instagram.com/p/abc"); err != nil {
			t.Fatalf("mark published: %v", err)
		}
		likes, reach := 41, 900
		if err := a.store.SaveManualMetrics(t.Context(), v.ID, backend.ManualFigures{Likes: &likes, Reach: &reach}); err != nil {
			t.Fatalf("figures: %v", err)
		}
	}
	// The inbox kit travels too: a saved reply and the crisis plan's words.
	if err := a.store.SaveSavedReply(t.Context(), &backend.SavedReply{ClientID: c.ID, Title: "Gracias", Text: "¡Gracias, {name}!", Tags: []string{"praise"}}); err != nil {
		t.Fatal(err)
	}
	if err := a.store.SetInboxClientSettings(t.Context(), &backend.InboxClientSettings{ClientID: c.ID, AlertWords: []string{"estafa", "denuncia"},
		Tags: []string{"question"}, Watch: []string{}}); err != nil {
		t.Fatal(err)
	}
	if err := a.Planning.SetSlots(ig.ID, []SlotView{{Weekday: 1, Time: "09:30"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Planning.SaveHashtagSet(backend.HashtagSet{ClientID: c.ID, Name: "Café", Tags: "#cafe #coffee"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Planning.SaveTemplate(backend.Template{ClientID: c.ID, Name: "Lunes", Text: "Buen lunes #cafe", Labels: []string{"semanal"}}); err != nil {
		t.Fatal(err)
	}

	first := filepath.Join(t.TempDir(), "luna.zip")
	a.Archives.dialogs = fakeArchiveDialogs{save: first}
	r1, err := a.Archives.Export(c.ID)
	if err != nil || r1.Posts != 3 || r1.Images != 1 {
		t.Fatalf("export: %+v %v", r1, err)
	}

	// Into an empty workspace: new ids, the Mastodon account waits to be connected.
	b, recB := newApp(t)
	b.Archives.dialogs = fakeArchiveDialogs{open: first}
	r2, err := b.Archives.Import()
	if err != nil || r2.Client != "Café Luna" || r2.Posts != 3 || r2.Held != 1 {
		t.Fatalf("import: %+v %v", r2, err)
	}
	accs, _ := b.store.ListAccounts(t.Context(), r2.ClientID)
	sort.Slice(accs, func(i, j int) bool { return accs[i].Network < accs[j].Network })
	if len(accs) != 2 || accs[0].Connection != backend.ConnManual || accs[1].Connection != backend.ConnReconnect || accs[1].RemoteID != "" {
		t.Errorf("accounts %+v", accs)
	}
	if !contains(recB.events, EventClientsChanged) {
		t.Error("no clients:changed")
	}
	second := filepath.Join(t.TempDir(), "luna2.zip")
	b.Archives.dialogs = fakeArchiveDialogs{save: second}
	if _, err := b.Archives.Export(r2.ClientID); err != nil {
		t.Fatal(err)
	}
	f1, f2 := zipFiles(t, first), zipFiles(t, second)
	if len(f1) != 3 || len(f1) != len(f2) { // client.json, posts.csv, the image
		t.Errorf("files: %d vs %d", len(f1), len(f2))
	}
	// The same content, except that the scheduled post came back as a draft:
	// the first workspace (or its Mastodon server) may still publish it, so
	// the copy never does by itself (never twice).
	held := map[string][]byte{
		"posts.csv":   bytes.ReplaceAll(f1["posts.csv"], []byte(",scheduled,"), []byte(",draft,")),
		"client.json": bytes.ReplaceAll(f1["client.json"], []byte(`"status": "scheduled"`), []byte(`"status": "draft"`)),
	}
	if bytes.Equal(held["posts.csv"], f1["posts.csv"]) || bytes.Equal(held["client.json"], f1["client.json"]) {
		t.Fatal("the archive had no scheduled post to hold")
	}
	for name, d1 := range f1 {
		if h, ok := held[name]; ok {
			d1 = h
		}
		if !bytes.Equal(d1, f2[name]) {
			t.Errorf("%s differs after the round trip:\n%s\n----\n%s", name, d1, f2[name])
		}
	}
	// A second round trip changes nothing at all.
	c2, _ := newApp(t)
	c2.Archives.dialogs = fakeArchiveDialogs{open: second}
	r4, err := c2.Archives.Import()
	if err != nil || r4.Held != 0 {
		t.Fatalf("second round trip: %+v %v", r4, err)
	}
	third := filepath.Join(t.TempDir(), "luna3.zip")
	c2.Archives.dialogs = fakeArchiveDialogs{save: third}
	if _, err := c2.Archives.Export(r4.ClientID); err != nil {
		t.Fatal(err)
	}
	for name, d := range zipFiles(t, third) {
		if !bytes.Equal(d, f2[name]) {
			t.Errorf("%s differs after a second round trip", name)
		}
	}
	for _, want := range []string{`"likes": 41`, `"reach": 900`, `"source": "manual"`, `"title": "Gracias"`, `"estafa"`} {
		if !bytes.Contains(f1["client.json"], []byte(want)) {
			t.Errorf("the archive lacks %s:\n%s", want, f1["client.json"])
		}
	}
	if !bytes.Contains(f1["client.json"], []byte(`"remoteUrl": "https://instagram.com/p/abc"`)) || bytes.Contains(f1["client.json"], []byte("1234")) {
		t.Errorf("published link missing or remote id leaked:\n%s", f1["client.json"])
	}

	// The same archive again into the same workspace: a second client "Café Luna (2)".
	b.Archives.dialogs = fakeArchiveDialogs{open: first}
	if r3, err := b.Archives.Import(); err != nil || r3.Client != "Café Luna (2)" {
		t.Errorf("second import: %+v %v", r3, err)
	}
}

func TestClientArchiveRefusedLeavesNothing(t *testing.T) {
	a, _ := newApp(t)
	c := importEnv(t, a)
	first := filepath.Join(t.TempDir(), "luna.zip")
	a.Archives.dialogs = fakeArchiveDialogs{save: first}
	if _, err := a.Archives.Export(c); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(first)
	cut := filepath.Join(t.TempDir(), "cut.zip")
	os.WriteFile(cut, data[:len(data)/2], 0o600)
	b, _ := newApp(t)
	b.Archives.dialogs = fakeArchiveDialogs{open: cut}
	_, err := b.Archives.Import()
	wantKey(t, err, "archive.damaged")
	cs, _ := b.store.ListClients(t.Context(), true)
	if len(cs) != 0 {
		t.Errorf("clients after a refused archive: %+v", cs)
	}
}

func TestArchivePathsChecked(t *testing.T) {
	a, _ := newApp(t)
	c := importEnv(t, a)
	dir := t.TempDir()
	for _, p := range []string{"rel.zip", filepath.Join(dir, "x.txt"), filepath.Join(dir, "missing", "x.zip"), dir + "/sub.zip/"} {
		_, err := a.Archives.ExportTo(c, p)
		wantKey(t, err, "archive.path_invalid")
	}
	os.Mkdir(filepath.Join(dir, "folder.zip"), 0o700)
	_, err := a.Archives.ExportTo(c, filepath.Join(dir, "folder.zip"))
	wantKey(t, err, "archive.path_invalid")
	out := filepath.Join(dir, "ok.zip")
	if r, err := a.Archives.ExportTo(c, out); err != nil || r.Path != out {
		t.Fatalf("export: %+v %v", r, err)
	}
	if r, err := a.Archives.ImportFrom(out); err != nil || r.Client != "Café Luna (2)" {
		t.Fatalf("import: %+v %v", r, err)
	}
	_, err = a.Archives.ImportFrom("ok.zip")
	wantKey(t, err, "archive.path_invalid")
}
