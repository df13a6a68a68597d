package csvimport

import (
	"reflect"
	"strings"
	"testing"

	"pauta/backend"
)

// A first comment per network: first_comment_<network> columns give each
// network's accounts their own comment, first_comment the rest; an export
// writes them back so that the file imports to the same comments.
func TestFirstCommentPerNetwork(t *testing.T) {
	in := testInput()
	data := "date,time,account,text,first_comment,first_comment_instagram\n" +
		"2026-03-02,10:00,cafe_luna | @cafe_luna@mastodon.social | cafeluna.bsky.social,Hola #cafe,,#cafe #brunch #luna\n" +
		"2026-03-03,10:00,cafe_luna | cafeluna.bsky.social,Otra #cafe,Link en bio,\n" +
		"2026-03-04,10:00,cafe_luna | cafeluna.bsky.social,Y otra #cafe,Para todos,Solo Instagram\n"
	tb, err := Read([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Build(tb, in, Options{Now: jan2026})
	if err != nil {
		t.Fatal(err)
	}
	comments := func(r Row) map[int64]string {
		m := map[int64]string{}
		for _, v := range r.Post.Variants {
			m[v.AccountID] = v.FirstComment
		}
		return m
	}
	want := []map[int64]string{
		{10: "#cafe #brunch #luna", 11: "", 12: ""},
		{10: "Link en bio", 12: "Link en bio"},
		{10: "Solo Instagram", 12: "Para todos"},
	}
	for i, w := range want {
		if len(p.Rows[i].Errors) > 0 {
			t.Fatalf("row %d errors %+v", i, p.Rows[i].Errors)
		}
		if got := comments(p.Rows[i]); !reflect.DeepEqual(got, w) {
			t.Errorf("row %d comments %v, want %v", i, got, w)
		}
	}

	// Export and import again: the same comments.
	accounts := map[int64]backend.Account{}
	for _, a := range in.Accounts {
		accounts[a.ID] = a
	}
	posts := []backend.Post{}
	for _, r := range p.Rows {
		posts = append(posts, r.Post)
	}
	recs := ExportRecords(posts, accounts, nil)
	if h := strings.Join(recs[0], ","); !strings.Contains(h, "first_comment_instagram") || strings.Contains(h, "first_comment_mastodon") {
		t.Fatalf("header %s", h)
	}
	if recs[1][6] != "" || recs[2][6] != "Link en bio" {
		t.Errorf("first_comment column: %q %q", recs[1][6], recs[2][6])
	}
	out, err := Encode(recs, ",")
	if err != nil {
		t.Fatal(err)
	}
	tb, err = Read(out)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Build(tb, in, Options{Now: jan2026})
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range want {
		if got := comments(again.Rows[i]); !reflect.DeepEqual(got, w) {
			t.Errorf("again row %d comments %v, want %v", i, got, w)
		}
	}
}
