package mastodon_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"pauta/backend"
)

// statusJSON is a status as the instance lists it.
func statusJSON(id int, content, replyTo string, media ...string) map[string]any {
	s := map[string]any{"id": strconv.Itoa(id), "uri": fmt.Sprintf("https://example.social/users/sol/statuses/%d", id),
		"url": fmt.Sprintf("https://example.social/@sol/%d", id), "content": content, "in_reply_to_id": nil, "reblog": nil}
	if replyTo != "" {
		s["in_reply_to_id"] = replyTo
	}
	var ms []map[string]any
	for _, m := range media {
		ms = append(ms, map[string]any{"id": m})
	}
	s["media_attachments"] = ms
	return s
}

// timeline answers GET /api/v1/accounts/77/statuses from statuses (newest
// first, ids as numbers), honouring since_id, max_id and limit.
func timeline(t *testing.T, statuses []map[string]any, date time.Time) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/accounts/77/statuses" {
			t.Errorf("listing %s", r.URL.Path)
		}
		q := r.URL.Query()
		limit, _ := strconv.Atoi(q.Get("limit"))
		since, _ := strconv.Atoi(q.Get("since_id"))
		maxID, _ := strconv.Atoi(q.Get("max_id"))
		out := []map[string]any{}
		for _, s := range statuses {
			id, _ := strconv.Atoi(s["id"].(string))
			if id > since && (maxID == 0 || id < maxID) && len(out) < limit {
				out = append(out, s)
			}
		}
		w.Header().Set("Date", date.Format(http.TimeFormat))
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(out)
	}
}

var acct = backend.Account{Network: backend.Mastodon, RemoteID: "77"}

func TestMark(t *testing.T) {
	date := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC) // the server's clock, not the laptop's
	f := newFake(t, map[string]http.HandlerFunc{"GET /api/v1/accounts/77/statuses": timeline(t, []map[string]any{statusJSON(120, "<p>x</p>", ""), statusJSON(110, "<p>y</p>", "")}, date)})
	m, err := f.client(t).Mark(context.Background(), acct)
	if err != nil || m.LastID != "120" || !m.ServerTime.Equal(date) {
		t.Fatalf("mark %+v, %v", m, err)
	}
	if q := f.requests("GET", "/api/v1/accounts/77/statuses")[0].Query; q != "limit=1" {
		t.Errorf("query %q", q)
	}

	empty := newFake(t, map[string]http.HandlerFunc{"GET /api/v1/accounts/77/statuses": timeline(t, nil, date)})
	if m, err := empty.client(t).Mark(context.Background(), acct); err != nil || m.LastID != "" || !m.ServerTime.Equal(date) {
		t.Fatalf("empty timeline: %+v, %v", m, err)
	}

	noDate := newFake(t, map[string]http.HandlerFunc{"GET /api/v1/accounts/77/statuses": func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Date"] = nil // suppressed
		jsonAnswer(200, `[]`)(w, r)
	}})
	_, err = noDate.client(t).Mark(context.Background(), acct)
	wantErr(t, err, backend.EInvalid, "mastodon.no_date")
}

func TestFindMatches(t *testing.T) {
	date := time.Date(2026, 3, 1, 8, 5, 0, 0, time.UTC)
	mark := backend.RemoteMark{LastID: "100", ServerTime: date.Add(-5 * time.Minute)}
	text := "¡Hola @ana@otra.social! Pan & café: https://sol.example/pan?a=1&b=2\n\nHasta mañana #pan"
	rendered := `<p>¡Hola <span class="h-card"><a href="https://otra.social/@ana" class="u-url mention">@<span>ana</span></a></span>! Pan &amp; café: ` +
		`<a href="https://sol.example/pan?a=1&amp;b=2" rel="nofollow noopener"><span class="invisible">https://</span><span class="ellipsis">sol.example/pan?a=1&amp;</span><span class="invisible">b=2</span></a></p>` +
		`<p>Hasta mañana <a href="https://example.social/tags/pan" class="mention hashtag" rel="tag">#<span>pan</span></a></p>`
	post := backend.PublishRequest{Account: acct, Text: text, Media: []backend.MediaFile{}}
	cases := []struct {
		name     string
		statuses []map[string]any
		req      backend.PublishRequest
		found    string
	}{
		{"rendered HTML with a remote mention, a link and entities", []map[string]any{statusJSON(130, "<p>otro</p>", ""), statusJSON(120, rendered, "")}, post, "120"},
		{"other text", []map[string]any{statusJSON(120, "<p>Hola a todos</p>", "")}, post, ""},
		{"before the mark", []map[string]any{statusJSON(90, rendered, "")}, post, ""},
		{"a reply is not the post", []map[string]any{statusJSON(120, rendered, "5")}, post, ""},
		{"a different number of images", []map[string]any{statusJSON(120, rendered, "", "m1")}, post, ""},
		{"images unknown: not compared", []map[string]any{statusJSON(120, rendered, "", "m1")}, backend.PublishRequest{Account: acct, Text: text}, "120"},
		{"our uploaded image, whatever the text", []map[string]any{statusJSON(120, "<p>cambiado</p>", "", "m9")},
			backend.PublishRequest{Account: acct, Text: text, Uploaded: []backend.MediaUpload{{Key: "k", ID: "m9"}}}, "120"},
		{"emoji only: compared as they are", []map[string]any{statusJSON(130, "<p>🎉</p>", ""), statusJSON(120, "<p>🎉🎉</p>", "")},
			backend.PublishRequest{Account: acct, Text: "🎉🎉"}, "120"},
		{"emoji only: another is not ours", []map[string]any{statusJSON(130, "<p>👍</p>", "")}, backend.PublishRequest{Account: acct, Text: "🎉🎉"}, ""},
		{"a first comment: by its reply target", []map[string]any{statusJSON(140, "<p>Gracias</p>", "7"), statusJSON(120, "<p>Gracias</p>", "55")},
			backend.PublishRequest{Account: acct, Text: "Gracias", ReplyTo: &backend.RemoteRef{ID: "55"}}, "120"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(t, map[string]http.HandlerFunc{"GET /api/v1/accounts/77/statuses": timeline(t, c.statuses, date)})
			res, err := f.client(t).Find(context.Background(), c.req, mark)
			if err != nil || !res.Complete || !res.ServerTime.Equal(date) || res.Found != (c.found != "") || res.Ref.ID != c.found {
				t.Fatalf("got %+v, %v; want found %q", res, err, c.found)
			}
			if c.found != "" && res.Ref.URL != "https://example.social/@sol/"+c.found {
				t.Errorf("url %q", res.Ref.URL)
			}
		})
	}
}

// Ours is older than a page of other statuses: found on the second page
// (since_id kept, max_id moving down). Past findPages pages, it cannot tell.
func TestFindPagesAndGivesUp(t *testing.T) {
	date := time.Date(2026, 3, 1, 8, 5, 0, 0, time.UTC)
	mark := backend.RemoteMark{LastID: "100", ServerTime: date}
	var list []map[string]any
	for id := 400; id > 150; id-- {
		list = append(list, statusJSON(id, "<p>otra cosa</p>", ""))
	}
	list = append(list, statusJSON(150, "<p>La nuestra</p>", ""))
	req := backend.PublishRequest{Account: acct, Text: "La nuestra"}

	f := newFake(t, map[string]http.HandlerFunc{"GET /api/v1/accounts/77/statuses": timeline(t, list[200:], date)})
	res, err := f.client(t).Find(context.Background(), req, mark)
	if err != nil || !res.Found || res.Ref.ID != "150" {
		t.Fatalf("second page: %+v, %v", res, err)
	}
	reqs := f.requests("GET", "/api/v1/accounts/77/statuses")
	if len(reqs) != 2 || !strings.Contains(reqs[1].Query, "since_id=100") || !strings.Contains(reqs[1].Query, "max_id=161") {
		t.Fatalf("pages: %+v", reqs)
	}

	f = newFake(t, map[string]http.HandlerFunc{"GET /api/v1/accounts/77/statuses": timeline(t, list, date)})
	res, err = f.client(t).Find(context.Background(), req, mark)
	if err != nil || res.Found || res.Complete {
		t.Fatalf("251 statuses since the mark: %+v, %v; want cannot tell", res, err)
	}
}

func TestFindRefusedListingCannotTell(t *testing.T) {
	f := newFake(t, map[string]http.HandlerFunc{"GET /api/v1/accounts/77/statuses": jsonAnswer(403, `{"error":"This action is not allowed"}`)})
	res, err := f.client(t).Find(context.Background(), backend.PublishRequest{Account: acct, Text: "x"}, backend.RemoteMark{ServerTime: now})
	if err != nil || res.Found || res.Complete {
		t.Fatalf("%+v, %v", res, err)
	}
	f = newFake(t, map[string]http.HandlerFunc{"GET /api/v1/accounts/77/statuses": jsonAnswer(503, `{"error":"busy"}`)})
	_, err = f.client(t).Find(context.Background(), backend.PublishRequest{Account: acct, Text: "x"}, backend.RemoteMark{ServerTime: now})
	wantErr(t, err, backend.ETransient, "")
}

// A failed upload happens before the status request: not sent.
func TestPublishUploadFailureIsNotSent(t *testing.T) {
	f := newFake(t, map[string]http.HandlerFunc{"POST /api/v2/media": jsonAnswer(500, `{"error":"oops"}`)})
	img := backend.MediaFile{Path: writeImage(t, "a.png", []byte("png")), MIME: "image/png"}
	_, err := f.client(t).Publish(context.Background(), request(t, img))
	if !backend.IsNotSent(err) || len(f.requests("POST", "/api/v1/statuses")) != 0 {
		t.Fatalf("err %v (not sent: %v)", err, backend.IsNotSent(err))
	}
}

// Uploads of an earlier attempt are reused; a refusal of them (deleted
// since) uploads again in the same call.
func TestPublishReusesUploads(t *testing.T) {
	uploads := 0
	refuse := true
	f := newFake(t, map[string]http.HandlerFunc{
		"POST /api/v2/media": func(w http.ResponseWriter, r *http.Request) {
			uploads++
			jsonAnswer(200, fmt.Sprintf(`{"id":"new%d","url":"https://x/y"}`, uploads))(w, r)
		},
		"POST /api/v1/statuses": func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			if refuse && strings.Contains(string(b), "old1") {
				jsonAnswer(422, `{"error":"Validation failed: media not found"}`)(w, r)
				return
			}
			jsonAnswer(200, `{"id":"9","url":"https://example.social/@sol/9"}`)(w, r)
		},
	})
	a := backend.MediaFile{Path: writeImage(t, "a.png", []byte("a")), MIME: "image/png", Alt: "a"}
	b := backend.MediaFile{Path: writeImage(t, "b.png", []byte("b")), MIME: "image/png", Alt: "b"}
	req := request(t, a, b)
	req.Uploaded = []backend.MediaUpload{{Key: a.UploadKey(), ID: "old1"}, {Key: "stale", ID: "old2"}}
	var recorded [][]backend.MediaUpload
	req.OnUploaded = func(ups []backend.MediaUpload) error { recorded = append(recorded, ups); return nil }

	refuse = false
	if _, err := f.client(t).Publish(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	st := f.requests("POST", "/api/v1/statuses")
	if uploads != 1 || len(st) != 1 || !strings.Contains(string(st[0].Body), "media_ids%5B%5D=old1&media_ids%5B%5D=new1") {
		t.Fatalf("%d uploads, status %s", uploads, st[0].Body)
	}
	if len(recorded) != 1 || len(recorded[0]) != 2 || recorded[0][1].ID != "new1" || recorded[0][1].Key != b.UploadKey() {
		t.Fatalf("recorded %+v", recorded)
	}

	refuse, uploads, recorded = true, 0, nil
	if _, err := f.client(t).Publish(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if uploads != 3 || len(f.requests("POST", "/api/v1/statuses")) != 3 {
		t.Fatalf("after a refusal of old ids: %d uploads", uploads)
	}
	if last := recorded[len(recorded)-1]; len(last) != 2 || last[0].ID == "old1" {
		t.Fatalf("recorded %+v", recorded)
	}
}
