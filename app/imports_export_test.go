package app

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pauta/backend"
)

func TestCSVExportRoundTrip(t *testing.T) {
	a, _ := newApp(t)
	client := importEnv(t, a)
	if _, err := a.Clients.AddAccount(AccountInput{ClientID: client, Network: "bluesky", Handle: "luna.bsky.social"}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFile(t, dir, "fotos/taza.jpg", photoJPEG(800, 600, 3))
	src := "fecha;hora;cuenta;texto;texto_bluesky;primer comentario;etiquetas;media;alt;estado\r\n" +
		"01/12/2026;09:30;instagram|bluesky;\"Largo para Instagram ☕\r\ncon salto\";Corto para Bluesky;Reserva ya;invierno|menú;fotos/taza.jpg;Una taza humeante;\r\n" +
		"02/12/2026;18:00;@luna@example.social;Borrador;;;;;;borrador\r\n" +
		";;instagram;Una idea sin fecha;;;ideas;;;idea\r\n"
	path := writeFile(t, dir, "plan.csv", []byte("\ufeff"+src))
	if _, err := a.Imports.Apply(ImportRequest{ClientID: client, Path: path, Order: "day-first"}); err != nil {
		t.Fatal(err)
	}
	c, _ := a.store.GetClient(t.Context(), client)
	out1 := filepath.Join(t.TempDir(), "luna.csv")
	r1, err := a.Imports.exportCSV(t.Context(), c, CSVExportRequest{ClientID: client, From: "2026-12-01", To: "2026-12-31"}, out1)
	if err != nil || r1.Posts != 3 || r1.Images != 1 {
		t.Fatalf("export: %+v %v", r1, err)
	}
	first, _ := os.ReadFile(out1)
	want := "\ufeffdate,time,timezone,account,status,text,first_comment,labels,media,alt,text_bluesky\r\n" +
		"2026-12-01,09:30,Europe/Madrid,cafe_luna | luna.bsky.social,scheduled,\"Largo para Instagram ☕\r\ncon salto\",Reserva ya,invierno | menú,luna-media/1/taza.jpg,Una taza humeante,Corto para Bluesky\r\n" +
		"2026-12-02,18:00,Europe/Madrid,@luna@example.social,draft,Borrador,,,,,\r\n" +
		",,,cafe_luna,idea,Una idea sin fecha,,ideas,,,\r\n"
	if string(first) != want {
		t.Errorf("export:\n%q\nwant\n%q", first, want)
	}

	// Import the export into another workspace, export again: the same file and images.
	b, _ := newApp(t)
	client2 := importEnv(t, b)
	if _, err := b.Clients.AddAccount(AccountInput{ClientID: client2, Network: "bluesky", Handle: "luna.bsky.social"}); err != nil {
		t.Fatal(err)
	}
	res, err := b.Imports.Apply(ImportRequest{ClientID: client2, Path: out1})
	if err != nil || res.Imported != 3 {
		t.Fatalf("re-import: %+v %v", res, err)
	}
	c2, _ := b.store.GetClient(t.Context(), client2)
	out2 := filepath.Join(t.TempDir(), "luna.csv")
	if _, err := b.Imports.exportCSV(t.Context(), c2, CSVExportRequest{ClientID: client2}, out2); err != nil {
		t.Fatal(err)
	}
	second, _ := os.ReadFile(out2)
	if !bytes.Equal(first, second) {
		t.Errorf("round trip differs:\n%q\n%q", first, second)
	}
	img1, _ := os.ReadFile(filepath.Join(filepath.Dir(out1), "luna-media", "1", "taza.jpg"))
	img2, _ := os.ReadFile(filepath.Join(filepath.Dir(out2), "luna-media", "1", "taza.jpg"))
	if len(img1) == 0 || !bytes.Equal(img1, img2) {
		t.Errorf("images differ: %d vs %d bytes", len(img1), len(img2))
	}
	// And importing it a second time adds nothing.
	res, err = b.Imports.Apply(ImportRequest{ClientID: client2, Path: out2})
	if err != nil || res.Imported != 0 || res.Duplicates != 3 {
		t.Errorf("third import: %+v %v", res, err)
	}
	posts, _ := b.store.ListPosts(t.Context(), backend.PostFilter{ClientID: client2, Ideas: true})
	if len(posts) != 3 || !strings.Contains(strings.Join(posts[0].Labels, ","), "import-") {
		t.Errorf("posts %+v", posts)
	}
}
