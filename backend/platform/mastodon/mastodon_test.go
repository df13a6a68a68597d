package mastodon_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/platform/mastodon"
)

const token = "TOKEN-c0ffee-5ecret-0123456789"

var now = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// recorded is one request as the fake instance saw it.
type recorded struct {
	Method, Path, Query string
	Header              http.Header
	Body                []byte
}

// fake is a Mastodon instance: handlers per "METHOD /path" (a trailing *
// matches a prefix), with every request recorded.
type fake struct {
	t        *testing.T
	mu       sync.Mutex
	reqs     []recorded
	handlers map[string]http.HandlerFunc
	srv      *httptest.Server
}

func newFake(t *testing.T, handlers map[string]http.HandlerFunc) *fake {
	f := &fake{t: t, handlers: handlers}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.reqs = append(f.reqs, recorded{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), b})
		f.mu.Unlock()
		r.Body = io.NopCloser(strings.NewReader(string(b)))
		key := r.Method + " " + r.URL.Path
		if h, ok := f.handlers[key]; ok {
			h(w, r)
			return
		}
		for k, h := range f.handlers {
			if strings.HasSuffix(k, "*") && strings.HasPrefix(key, strings.TrimSuffix(k, "*")) {
				h(w, r)
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(404)
		io.WriteString(w, `{"error":"Record not found"}`)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fake) client(t *testing.T) *mastodon.Client {
	c, err := mastodon.New(f.srv.URL, token, f.srv.Client(), backend.FixedClock{T: now})
	if err != nil {
		t.Fatal(err)
	}
	c.PollInterval = time.Millisecond
	return c
}

func (f *fake) requests(method, path string) []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []recorded
	for _, r := range f.reqs {
		if r.Method == method && r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

func jsonAnswer(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// drop closes the connection without an answer (a network failure mid-request).
func drop(w http.ResponseWriter, r *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

func wantErr(t *testing.T, err error, code, key string) *backend.Error {
	t.Helper()
	e := backend.AsError(err)
	if e == nil || e.Code != code || (key != "" && e.Key != key) {
		t.Fatalf("got error %#v (%v), want %s/%s", e, err, code, key)
	}
	return e
}

func TestNormalizeURL(t *testing.T) {
	tests := []struct{ in, want, key string }{
		{"mastodon.social", "https://mastodon.social", ""},
		{"  https://Mastodon.Social/about ", "https://mastodon.social", ""},
		{"https://example.org:8443", "https://example.org:8443", ""},
		{"http://127.0.0.1:3000", "http://127.0.0.1:3000", ""},
		{"http://localhost:3000/", "http://localhost:3000", ""},
		{"http://mastodon.social", "", "mastodon.https_required"},
		{"http://192.168.1.10", "", "mastodon.https_required"},
		{"ftp://mastodon.social", "", "mastodon.url_invalid"},
		{"", "", "mastodon.url_invalid"},
		{"https://user:pw@mastodon.social", "", "mastodon.url_invalid"},
	}
	for _, tt := range tests {
		got, err := mastodon.NormalizeURL(tt.in)
		if tt.key != "" {
			if e := backend.AsError(err); e == nil || e.Key != tt.key || e.Code != backend.EInvalid {
				t.Errorf("%q: got %v, want %s", tt.in, err, tt.key)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%q: got %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestVerify(t *testing.T) {
	f := newFake(t, map[string]http.HandlerFunc{
		"GET /api/v1/accounts/verify_credentials": jsonAnswer(200, `{"id":"109","username":"marca","acct":"marca","display_name":"Marca","url":"https://x/@marca","avatar":"https://x/a.png"}`),
	})
	if s := fmt.Sprintf("%v %+v %#v", f.client(t), f.client(t), f.client(t)); strings.Contains(s, token) {
		t.Fatalf("a printed client shows its token: %s", s)
	}
	a, err := f.client(t).Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(f.srv.URL, "http://")
	if a.ID != "109" || a.DisplayName != "Marca" || a.Handle != "@marca@"+host {
		t.Fatalf("account %+v", a)
	}
	r := f.requests("GET", "/api/v1/accounts/verify_credentials")[0]
	if got := r.Header.Get("Authorization"); got != "Bearer "+token {
		t.Fatalf("Authorization = %q", got)
	}

	f.handlers["GET /api/v1/accounts/verify_credentials"] = jsonAnswer(401, `{"error":"The access token is invalid"}`)
	_, err = f.client(t).Verify(context.Background())
	wantErr(t, err, backend.EAuth, "mastodon.token_invalid")
}

const instanceV2 = `{"domain":"example.social","title":"Example","version":"4.3.2",
 "configuration":{"statuses":{"max_characters":1000,"max_media_attachments":6,"characters_reserved_per_url":23},
 "media_attachments":{"supported_mime_types":["image/jpeg","image/png","image/webp"],"image_size_limit":10485760,"image_matrix_limit":16777216,"description_limit":1500}}}`

func TestInstance(t *testing.T) {
	t.Run("v2", func(t *testing.T) {
		f := newFake(t, map[string]http.HandlerFunc{"GET /api/v2/instance": jsonAnswer(200, instanceV2)})
		in, err := f.client(t).Instance(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := mastodon.Instance{Domain: "example.social", Title: "Example", Version: "4.3.2", MaxCharacters: 1000, MaxMediaAttachments: 6,
			CharactersReservedPerURL: 23, ImageSizeLimit: 10485760, ImageMatrixLimit: 16777216,
			SupportedMIMETypes: []string{"image/jpeg", "image/png", "image/webp"}, DescriptionLimit: 1500}
		if !reflect.DeepEqual(in, want) {
			t.Fatalf("got %+v\nwant %+v", in, want)
		}
	})
	t.Run("v1 fallback and defaults", func(t *testing.T) {
		f := newFake(t, map[string]http.HandlerFunc{
			"GET /api/v1/instance": jsonAnswer(200, `{"uri":"old.social","title":"Old","version":"3.5.3","configuration":{"statuses":{"max_characters":500}}}`),
		})
		in, err := f.client(t).Instance(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if in.Domain != "old.social" || in.MaxCharacters != 500 || in.MaxMediaAttachments != 4 || in.ImageSizeLimit != mastodon.DefaultImageSizeLimit || in.DescriptionLimit != 1500 {
			t.Fatalf("got %+v", in)
		}
	})
	t.Run("not mastodon", func(t *testing.T) {
		for name, h := range map[string]http.HandlerFunc{
			"html site": func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				io.WriteString(w, "<html>my blog</html>")
			},
			"json without configuration": jsonAnswer(200, `{"name":"some api"}`),
			"404 everywhere":             jsonAnswer(404, `{"error":"not found"}`),
		} {
			f := newFake(t, map[string]http.HandlerFunc{"GET *": h})
			_, err := f.client(t).Instance(context.Background())
			if e := wantErr(t, err, backend.EInvalid, "mastodon.not_mastodon"); e.Field != "instanceUrl" {
				t.Errorf("%s: field %q", name, e.Field)
			}
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		f := newFake(t, nil)
		c := f.client(t)
		f.srv.Close()
		_, err := c.Instance(context.Background())
		wantErr(t, err, backend.ETransient, "mastodon.unreachable")
	})
}

func writeImage(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func request(t *testing.T, media ...backend.MediaFile) backend.PublishRequest {
	return backend.PublishRequest{
		Text: "Hola, ¿qué tal? 🌍 https://example.com #Marca", Language: "es", Media: media,
		IdempotencyKey: "6f1c1b2e-0d7e-4f7e-9a7a-3f0c2d1e4b5a",
	}
}

func TestPublishWithMediaPolling(t *testing.T) {
	var mu sync.Mutex
	polls := 0
	f := newFake(t, map[string]http.HandlerFunc{
		"POST /api/v2/media": jsonAnswer(202, `{"id":"m1","type":"image","url":null}`),
		"GET /api/v1/media/m1": func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			polls++
			n := polls
			mu.Unlock()
			if n < 3 {
				jsonAnswer(206, `{"id":"m1","url":null}`)(w, r)
				return
			}
			jsonAnswer(200, `{"id":"m1","url":"https://files/m1.jpg"}`)(w, r)
		},
		"POST /api/v1/statuses": jsonAnswer(200, `{"id":"111","uri":"https://x/users/marca/statuses/111","url":"https://x/@marca/111"}`),
	})
	img := []byte("\xff\xd8\xff\xe0fake-jpeg")
	req := request(t, backend.MediaFile{Path: writeImage(t, "foto.jpg", img), MIME: "image/jpeg", Alt: "Una taza de café", FocusX: 0.75, FocusY: 0.25})
	req.ReplyTo = &backend.RemoteRef{ID: "100"}

	ref, err := f.client(t).Publish(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if ref.ID != "111" || ref.URL != "https://x/@marca/111" {
		t.Fatalf("ref %+v", ref)
	}

	up := f.requests("POST", "/api/v2/media")
	if len(up) != 1 {
		t.Fatalf("%d uploads", len(up))
	}
	if up[0].Header.Get("Authorization") != "Bearer "+token {
		t.Fatal("upload without the token")
	}
	parts := multipartParts(t, up[0])
	if string(parts["file"].data) != string(img) || parts["file"].filename != "foto.jpg" || parts["file"].contentType != "image/jpeg" {
		t.Fatalf("file part %+v", parts["file"])
	}
	if string(parts["description"].data) != "Una taza de café" {
		t.Fatalf("description %q", parts["description"].data)
	}
	if string(parts["focus"].data) != "0.50,0.50" {
		t.Fatalf("focus %q (0.75 from the left, 0.25 from the top = 0.5,0.5 with y up)", parts["focus"].data)
	}
	if got := len(f.requests("GET", "/api/v1/media/m1")); got != 3 {
		t.Fatalf("%d polls, want 3 (206, 206, 200)", got)
	}

	st := f.requests("POST", "/api/v1/statuses")[0]
	if st.Header.Get("Idempotency-Key") != req.IdempotencyKey {
		t.Fatalf("Idempotency-Key %q", st.Header.Get("Idempotency-Key"))
	}
	if st.Header.Get("Authorization") != "Bearer "+token {
		t.Fatal("status without the token")
	}
	if ct := st.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		t.Fatalf("Content-Type %q", ct)
	}
	form, _ := url.ParseQuery(string(st.Body))
	want := url.Values{"status": {req.Text}, "media_ids[]": {"m1"}, "language": {"es"}, "visibility": {"public"}, "in_reply_to_id": {"100"}}
	if !reflect.DeepEqual(form, want) {
		t.Fatalf("form %v\nwant %v", form, want)
	}
}

type part struct {
	data                  []byte
	filename, contentType string
}

func multipartParts(t *testing.T, r recorded) map[string]part {
	t.Helper()
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		t.Fatalf("Content-Type %q", r.Header.Get("Content-Type"))
	}
	mr := multipart.NewReader(strings.NewReader(string(r.Body)), params["boundary"])
	out := map[string]part{}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		out[p.FormName()] = part{b, p.FileName(), p.Header.Get("Content-Type")}
	}
	return out
}

func TestFocus(t *testing.T) {
	tests := []struct {
		x, y float64
		want string
		ok   bool
	}{
		{0.5, 0.5, "0.00,0.00", true},
		{1, 0, "1.00,1.00", true},
		{0, 1, "-1.00,-1.00", true},
		{0.25, 0.75, "-0.50,-0.50", true},
		{0, 0, "", false},
		{1.5, -0.2, "1.00,1.00", true},
	}
	for _, tt := range tests {
		got, ok := mastodon.Focus(backend.MediaFile{FocusX: tt.x, FocusY: tt.y})
		if got != tt.want || ok != tt.ok {
			t.Errorf("Focus(%v,%v) = %q,%v want %q,%v", tt.x, tt.y, got, ok, tt.want, tt.ok)
		}
	}
}

// A connection dropped mid-request is transient; the retry sends the same
// Idempotency-Key and the same form, so the instance answers with the
// original status instead of a second one.
func TestRetryKeepsIdempotencyKey(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	f := newFake(t, map[string]http.HandlerFunc{
		"POST /api/v1/statuses": func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			calls++
			n := calls
			mu.Unlock()
			if n == 1 {
				drop(w, r)
				return
			}
			jsonAnswer(200, `{"id":"222","url":"https://x/@marca/222"}`)(w, r)
		},
	})
	c := f.client(t)
	req := request(t)
	_, err := c.Publish(context.Background(), req)
	wantErr(t, err, backend.ETransient, "mastodon.unreachable")
	ref, err := c.Publish(context.Background(), req)
	if err != nil || ref.ID != "222" {
		t.Fatalf("retry: %+v, %v", ref, err)
	}
	rs := f.requests("POST", "/api/v1/statuses")
	if len(rs) != 2 {
		t.Fatalf("%d requests", len(rs))
	}
	if rs[0].Header.Get("Idempotency-Key") != req.IdempotencyKey || rs[1].Header.Get("Idempotency-Key") != req.IdempotencyKey {
		t.Fatalf("keys %q, %q", rs[0].Header.Get("Idempotency-Key"), rs[1].Header.Get("Idempotency-Key"))
	}
	if string(rs[0].Body) != string(rs[1].Body) {
		t.Fatalf("bodies differ:\n%s\n%s", rs[0].Body, rs[1].Body)
	}
}

func TestPublishRefusesMissingIdempotencyKey(t *testing.T) {
	f := newFake(t, nil)
	req := request(t)
	req.IdempotencyKey = ""
	_, err := f.client(t).Publish(context.Background(), req)
	wantErr(t, err, backend.EInternal, "")
	if len(f.reqs) != 0 {
		t.Fatal("sent a status without an idempotency key")
	}
}

func TestErrorClassification(t *testing.T) {
	tests := []struct {
		name   string
		h      http.HandlerFunc
		code   string
		key    string
		retry  time.Duration
		detail string
	}{
		{"429 Retry-After seconds", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "120")
			jsonAnswer(429, `{"error":"Too many requests"}`)(w, r)
		}, backend.ERateLimited, "network.rate_limited", 120 * time.Second, ""},
		{"429 X-RateLimit-Reset", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-RateLimit-Reset", now.Add(4*time.Minute+30*time.Second).Format("2006-01-02T15:04:05.000000Z"))
			jsonAnswer(429, `{"error":"Too many requests"}`)(w, r)
		}, backend.ERateLimited, "network.rate_limited", 270 * time.Second, ""},
		{"429 without a hint", jsonAnswer(429, `{"error":"Too many requests"}`), backend.ERateLimited, "network.rate_limited", time.Minute, ""},
		{"401", jsonAnswer(401, `{"error":"The access token was revoked"}`), backend.EAuth, "mastodon.token_invalid", 0, ""},
		{"403", jsonAnswer(403, `{"error":"Your login is currently disabled"}`), backend.EInvalid, "network.rejected", 0, "Your login is currently disabled"},
		{"404", jsonAnswer(404, `{"error":"Record not found"}`), backend.EInvalid, "network.rejected", 0, "Record not found"},
		{"422", jsonAnswer(422, `{"error":"Validation failed: Text can't be blank"}`), backend.EInvalid, "network.rejected", 0, "Validation failed: Text can't be blank"},
		{"503", jsonAnswer(503, `{"error":"Service unavailable"}`), backend.ETransient, "network.transient", 0, ""},
		{"502 html from a proxy", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			io.WriteString(w, "<html>Bad Gateway</html>")
		}, backend.ETransient, "network.transient", 0, ""},
		{"200 html from a captive portal", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<html>log in to the wifi</html>")
		}, backend.ETransient, "mastodon.bad_answer", 0, ""},
		{"dropped connection", drop, backend.ETransient, "mastodon.unreachable", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, map[string]http.HandlerFunc{"POST /api/v1/statuses": tt.h})
			_, err := f.client(t).Publish(context.Background(), request(t))
			e := wantErr(t, err, tt.code, tt.key)
			if e.RetryAfter != tt.retry {
				t.Errorf("RetryAfter %s, want %s", e.RetryAfter, tt.retry)
			}
			if e.Params["detail"] != tt.detail {
				t.Errorf("detail %q, want %q", e.Params["detail"], tt.detail)
			}
		})
	}
}

func TestMediaPollingIsBounded(t *testing.T) {
	f := newFake(t, map[string]http.HandlerFunc{
		"POST /api/v2/media":   jsonAnswer(202, `{"id":"m9","url":null}`),
		"GET /api/v1/media/m9": jsonAnswer(206, `{"id":"m9","url":null}`),
	})
	c := f.client(t)
	c.MaxPolls = 4
	req := request(t, backend.MediaFile{Path: writeImage(t, "a.png", []byte("png")), MIME: "image/png"})
	_, err := c.Publish(context.Background(), req)
	wantErr(t, err, backend.ETransient, "mastodon.media_processing")
	if n := len(f.requests("GET", "/api/v1/media/m9")); n != 4 {
		t.Fatalf("%d polls, want 4", n)
	}
	if len(f.requests("POST", "/api/v1/statuses")) != 0 {
		t.Fatal("posted with unprocessed media")
	}

	ctx, cancel := context.WithCancel(context.Background())
	c.MaxPolls, c.PollInterval = 1000, 5*time.Millisecond
	time.AfterFunc(20*time.Millisecond, cancel)
	_, err = c.Publish(ctx, req)
	if backend.ErrorCode(err) != backend.ETransient || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}

func TestScheduling(t *testing.T) {
	at := now.Add(2 * time.Hour)
	scheduled := fmt.Sprintf(`{"id":"s1","scheduled_at":%q,"params":{"text":"hola","language":"es","media_ids":null,"visibility":"public"},"media_attachments":[]}`, at.Format(time.RFC3339))
	var f *fake
	f = newFake(t, map[string]http.HandlerFunc{
		"POST /api/v1/statuses": jsonAnswer(200, scheduled),
		"GET /api/v1/scheduled_statuses": func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("max_id") == "" {
				w.Header().Set("Link", fmt.Sprintf(`<%s/api/v1/scheduled_statuses?limit=40&max_id=s1>; rel="next", <%s/api/v1/scheduled_statuses?min_id=s1>; rel="prev"`, f.srv.URL, f.srv.URL))
				jsonAnswer(200, "["+scheduled+"]")(w, r)
				return
			}
			// A next link to another host must never be followed (it would get the token).
			w.Header().Set("Link", `<https://evil.example/api/v1/scheduled_statuses?max_id=s2>; rel="next"`)
			jsonAnswer(200, `[{"id":"s2","scheduled_at":"2026-03-02T10:00:00.000Z","params":{"text":"dos"}}]`)(w, r)
		},
		"PUT /api/v1/scheduled_statuses/s1":    jsonAnswer(200, scheduled),
		"DELETE /api/v1/scheduled_statuses/s1": jsonAnswer(200, `{}`),
	})
	c := f.client(t)
	ctx := context.Background()
	req := request(t)

	_, err := c.ScheduleStatus(ctx, req, now.Add(4*time.Minute))
	wantErr(t, err, backend.EInvalid, "mastodon.schedule_too_soon")

	ss, err := c.ScheduleStatus(ctx, req, at)
	if err != nil || ss.ID != "s1" || !ss.ScheduledAt.Equal(at) {
		t.Fatalf("schedule: %+v, %v", ss, err)
	}
	p := f.requests("POST", "/api/v1/statuses")[0]
	form, _ := url.ParseQuery(string(p.Body))
	if form.Get("scheduled_at") != "2026-03-01T12:00:00.000Z" || p.Header.Get("Idempotency-Key") != req.IdempotencyKey {
		t.Fatalf("scheduled_at %q key %q", form.Get("scheduled_at"), p.Header.Get("Idempotency-Key"))
	}

	list, err := c.ListScheduled(ctx)
	if err != nil || len(list) != 2 || list[0].ID != "s1" || list[1].ID != "s2" || list[1].Params.Text != "dos" {
		t.Fatalf("list: %+v, %v", list, err)
	}
	if n := len(f.requests("GET", "/api/v1/scheduled_statuses")); n != 2 {
		t.Fatalf("%d list pages fetched, want 2", n)
	}

	later := at.Add(time.Hour)
	if _, err := c.UpdateScheduled(ctx, "s1", later); err != nil {
		t.Fatal(err)
	}
	put := f.requests("PUT", "/api/v1/scheduled_statuses/s1")[0]
	if form, _ := url.ParseQuery(string(put.Body)); form.Get("scheduled_at") != "2026-03-01T13:00:00.000Z" || put.Header.Get("Authorization") != "Bearer "+token {
		t.Fatalf("PUT body %s", put.Body)
	}
	if err := c.CancelScheduled(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	err = c.CancelScheduled(ctx, "gone")
	wantErr(t, err, backend.ENotFound, "mastodon.scheduled_not_found")
	_, err = c.UpdateScheduled(ctx, "gone", later)
	wantErr(t, err, backend.ENotFound, "mastodon.scheduled_not_found")
}

// Token hygiene: every error path, including a server that echoes the
// token back, produces errors without the token in any text.
func TestTokenNeverInErrors(t *testing.T) {
	echo := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			jsonAnswer(status, fmt.Sprintf(`{"error":"bad token %s","error_description":%q}`, r.Header.Get("Authorization"), r.Header.Get("Authorization")))(w, r)
		}
	}
	handlers := []http.HandlerFunc{
		echo(401), echo(403), echo(404), echo(422), echo(429), echo(500), echo(503), drop,
		func(w http.ResponseWriter, r *http.Request) { // html echoing the token
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(400)
			io.WriteString(w, "<html>"+r.Header.Get("Authorization")+"</html>")
		},
		func(w http.ResponseWriter, r *http.Request) { jsonAnswer(200, `{"id":`)(w, r) }, // truncated JSON
	}
	img := writeImage(t, "a.jpg", []byte("jpeg"))
	for i, h := range handlers {
		f := newFake(t, map[string]http.HandlerFunc{"*": nil})
		f.handlers = map[string]http.HandlerFunc{"GET *": h, "POST *": h, "PUT *": h, "DELETE *": h}
		c := f.client(t)
		ctx := context.Background()
		var errs []error
		_, err := c.Verify(ctx)
		errs = append(errs, err)
		_, err = c.Instance(ctx)
		errs = append(errs, err)
		_, err = c.Publish(ctx, request(t))
		errs = append(errs, err)
		_, err = c.Publish(ctx, request(t, backend.MediaFile{Path: img, MIME: "image/jpeg"}))
		errs = append(errs, err)
		_, err = c.ScheduleStatus(ctx, request(t), now.Add(time.Hour))
		errs = append(errs, err)
		_, err = c.ListScheduled(ctx)
		errs = append(errs, err)
		_, err = c.UpdateScheduled(ctx, "1", now.Add(time.Hour))
		errs = append(errs, err)
		errs = append(errs, c.CancelScheduled(ctx, "1"))
		for j, err := range errs {
			if err == nil {
				if i == len(handlers)-1 && j == len(errs)-1 {
					continue // a DELETE reads no body: a 200 is fine
				}
				t.Fatalf("handler %d call %d: no error", i, j)
			}
			if strings.Contains(fmt.Sprintf("%v %+v", err, err), token) {
				t.Fatalf("handler %d call %d: token in error %q", i, j, err)
			}
			e := backend.AsError(err)
			b, _ := json.Marshal(e)
			if strings.Contains(string(b)+e.Message, token) {
				t.Fatalf("handler %d call %d: token in %s", i, j, b)
			}
		}
	}
}
