package app

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pauta/backend"
	"pauta/backend/approval"
)

type fakeApprovalDialogs struct {
	save, open string
	asked      []string
}

func (f *fakeApprovalDialogs) SavePackage(name string) (string, error) {
	f.asked = append(f.asked, name)
	return f.save, nil
}
func (f *fakeApprovalDialogs) OpenAnswer() (string, error) { return f.open, nil }

// The whole path through the bound services: a client requiring approval,
// a package exported with its image, an answer from the page imported, a
// post edited in between.
func TestApprovalThroughServices(t *testing.T) {
	a, _ := newApp(t)
	dlg := &fakeApprovalDialogs{save: filepath.Join(t.TempDir(), "paquete")}
	op := &fakeFolderOpener{}
	a.Approval.dialogs, a.Approval.opener = dlg, op
	yes := true
	c, err := a.Clients.Save(ClientInput{Name: "Panadería Sol", TimeZone: "Europe/Madrid", Language: "es", RequireApproval: &yes})
	if err != nil || !c.RequireApproval {
		t.Fatalf("client %+v %v", c, err)
	}
	// A form that does not send the setting keeps it.
	if c, err = a.Clients.Save(ClientInput{ID: c.ID, Name: "Panadería Sol", TimeZone: "Europe/Madrid", Language: "es"}); err != nil || !c.RequireApproval {
		t.Fatalf("setting lost: %+v %v", c, err)
	}
	other, _ := a.Clients.Save(ClientInput{Name: "Luna", TimeZone: "Europe/Rome", Language: "it"})
	ig, _ := a.Clients.AddAccount(AccountInput{ClientID: c.ID, Network: "facebook", Handle: "@sol"})
	rep, err := a.Media.Import(c.ID, []string{write(t, "pan.jpg", photoJPEG(800, 600, 3))})
	if err != nil || rep.Imported != 1 {
		t.Fatalf("import %+v %v", rep, err)
	}
	var ids []int64
	for i, day := range []string{"2026-11-30", "2026-12-01", "2026-12-02", "2026-12-09"} {
		res, err := a.Posts.Save(PostInput{ClientID: c.ID, Status: "scheduled", Text: "Pan " + day, Date: day, Time: "09:30", Variants: []VariantInput{{AccountID: ig.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Post.Approval.Required || !res.Post.Approval.Waiting {
			t.Fatalf("post %d of a client requiring approval: %+v", i, res.Post.Approval)
		}
		ids = append(ids, res.Post.ID)
	}
	if err := a.Media.SetPostMedia(ids[0], []backend.PostMedia{{PostID: ids[0], MediaID: rep.Results[0].Media.ID}}); err != nil {
		t.Fatal(err)
	}
	per, err := a.Approval.DefaultPeriod(c.ID)
	if err != nil || per.From != "2026-11-30" || per.To != "2026-12-06" {
		t.Fatalf("default period %+v %v", per, err)
	}

	res, err := a.Approval.Export(PackageOptions{ClientID: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	if res.Posts != 3 || !strings.HasSuffix(res.HTMLPath, "paquete.html") || !strings.HasSuffix(res.PDFPath, "paquete.pdf") ||
		len(op.opened) != 1 || op.opened[0] != res.Folder || dlg.asked[0] != "aprobacion-panaderia-sol-2026-11-30.html" {
		t.Fatalf("export %+v, opened %v, asked %v", res, op.opened, dlg.asked)
	}
	page, _ := os.ReadFile(res.HTMLPath)
	doc, _ := os.ReadFile(res.PDFPath)
	if !bytes.Contains(page, []byte(`src="data:image/jpeg;base64,`)) || !bytes.Contains(page, []byte("lunes 30 de noviembre, 09:30")) || !bytes.HasPrefix(doc, []byte("%PDF-")) {
		t.Fatal("the package lacks the image, the local time or the PDF")
	}
	views := map[int64]PostView{}
	for _, id := range ids[:3] {
		v, _ := a.Posts.Get(id)
		if v.Approval.Status != backend.ApprovalPending || v.Approval.PackageID != res.PackageID {
			t.Fatalf("post %d after export: %+v", id, v.Approval)
		}
		views[id] = v
	}
	ws, _ := a.store.WorkspaceID(t.Context())
	ans := backend.ApprovalAnswer{PackageID: res.PackageID, WorkspaceID: ws, ClientID: c.ID, Decisions: []backend.ApprovalDecision{
		{PostID: ids[0], Hash: views[ids[0]].Approval.Hash, Decision: backend.ApprovalApproved},
		{PostID: ids[1], Hash: views[ids[1]].Approval.Hash, Decision: backend.ApprovalApproved},
		{PostID: ids[2], Hash: views[ids[2]].Approval.Hash, Decision: backend.ApprovalChanges, Comment: "Otra foto"},
	}}
	text := approval.EncodeAnswer(ans)

	// Refused: nothing applied.
	_, err = a.Approval.ImportText("Hola, ¿qué tal?", 0)
	wantKey(t, err, "approval.not_answer")
	_, err = a.Approval.ImportText(text, other.ID)
	if e := wantKey(t, err, "approval.other_client"); e.Params["client"] != "Luna" {
		t.Errorf("params %v", e.Params)
	}
	alien := ans
	alien.WorkspaceID = strings.Repeat("f", 32)
	_, err = a.Approval.ImportText(approval.EncodeAnswer(alien), 0)
	wantKey(t, err, "approval.other_workspace")
	_, err = a.Approval.ImportText(strings.Replace(text, "\n", "\nX", 2), 0)
	wantKey(t, err, "approval.tampered")
	if v, _ := a.Posts.Get(ids[0]); v.Approval.Status != backend.ApprovalPending {
		t.Fatalf("a refused answer changed post %d: %+v", ids[0], v.Approval)
	}

	// Edited after the package: the approval is of the old text.
	if _, err := a.Posts.Save(PostInput{ID: ids[1], ClientID: c.ID, Status: "scheduled", Text: "Pan corregido", Date: "2026-12-01", Time: "09:30",
		Variants: []VariantInput{{AccountID: ig.ID}}}); err != nil {
		t.Fatal(err)
	}
	file := write(t, "respuesta.txt", []byte("Hola,\n\n"+text))
	dlg.open = file
	imp, err := a.Approval.ImportFile(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if imp.ClientName != "Panadería Sol" || len(imp.Approved) != 1 || len(imp.Changes) != 1 || len(imp.Changed) != 1 || imp.Changed[0] != ids[1] {
		t.Fatalf("import %+v", imp)
	}
	for id, want := range map[int64]struct {
		status           backend.ApprovalStatus
		changed, waiting bool
		comment          string
	}{ids[0]: {backend.ApprovalApproved, false, false, ""}, ids[1]: {backend.ApprovalApproved, true, true, ""}, ids[2]: {backend.ApprovalChanges, false, true, "Otra foto"}} {
		v, _ := a.Posts.Get(id)
		if v.Approval.Status != want.status || v.Approval.Changed != want.changed || v.Approval.Waiting != want.waiting || v.Approval.Comment != want.comment {
			t.Errorf("post %d: %+v, want %+v", id, v.Approval, want)
		}
	}
	// The outbox view says why the held ones wait.
	items, err := a.Outbox.Items(OutboxQuery{ClientID: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	waiting := map[int64]string{}
	for _, it := range items {
		waiting[it.PostID] = it.Waiting
	}
	if waiting[ids[0]] != "" || waiting[ids[1]] != backend.WaitApproval || waiting[ids[2]] != backend.WaitApproval || waiting[ids[3]] != backend.WaitApproval {
		t.Errorf("outbox waiting %v", waiting)
	}

	// Whatever name the web view sends, only an .html and a .pdf are written.
	odd, err := a.Approval.ExportTo(PackageOptions{ClientID: c.ID}, filepath.Join(t.TempDir(), "x.sh"))
	if err != nil || filepath.Ext(odd.HTMLPath) != ".html" || filepath.Ext(odd.PDFPath) != ".pdf" {
		t.Fatalf("export to x.sh: %+v %v", odd, err)
	}
	_, err = a.Approval.ExportTo(PackageOptions{ClientID: c.ID}, "relative.html")
	wantKey(t, err, "approval.unwritable")

	// The composer's toggle.
	v, err := a.Approval.SetNeedsApproval(ids[3], true)
	if err != nil || !v.NeedsApproval {
		t.Fatalf("needs approval: %+v %v", v, err)
	}
	_, err = a.Approval.SetNeedsApproval(999, true)
	wantKey(t, err, "post.not_found")
}
