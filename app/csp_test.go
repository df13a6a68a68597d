//go:build !dev

package app

import (
	"io/fs"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"pauta/backend/media/mediatest"
)

// servedBy is the window's asset handler as Options configures it: the
// files, the media handler for the rest, behind the middleware. (Wails'
// own asset server, which only adds <script src> tags for its runtime,
// needs WebKit's C headers to build, so it is left out here.)
func servedBy(t *testing.T, assets fs.FS) (*App, http.Handler) {
	t.Helper()
	a, _, _, _ := uiApp(t, t.TempDir())
	opts := Options(a, assets).AssetServer
	if opts.Middleware == nil {
		t.Fatal("no middleware in the asset server options")
	}
	return a, opts.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		if name == "" {
			name = "index.html"
		}
		b, err := fs.ReadFile(opts.Assets, name)
		if err != nil {
			opts.Handler.ServeHTTP(w, r) // as Wails does for a file it does not have
			return
		}
		w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
		w.Write(b)
	}))
}

var inlineScript = regexp.MustCompile(`(?is)<script\b([^>]*)>(.*?)</script>`)

// The page the web view gets carries the policy as a header and in its
// <head>, and runs no inline script (the policy would block it; the first
// screen's JSON data block is not a script that runs); images
// come from the app's own /media/ URLs, which the policy allows.
func TestServedIndexCarriesTheContentSecurityPolicy(t *testing.T) {
	pages := map[string]fs.FS{}
	src, err := os.ReadFile("../frontend/index.html")
	if err != nil {
		t.Fatal(err)
	}
	pages["frontend/index.html"] = fstest.MapFS{"index.html": {Data: src}}
	if _, err := os.Stat("../frontend/dist/index.html"); err == nil {
		pages["frontend/dist (built)"] = os.DirFS("../frontend/dist")
	}
	for name, assets := range pages {
		_, srv := servedBy(t, assets)
		for _, path := range []string{"/", "/index.html"} {
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
			if rec.Code != http.StatusOK {
				t.Fatalf("%s %s: %d", name, path, rec.Code)
			}
			if got := rec.Header().Get("Content-Security-Policy"); got != contentSecurityPolicy {
				t.Errorf("%s %s: header %q", name, path, got)
			}
			if testing.Verbose() {
				t.Logf("%s %s checked", name, path)
			}
			for _, want := range []string{"default-src 'self'", "script-src 'self';", "img-src 'self';", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"} {
				if !strings.Contains(contentSecurityPolicy, want) {
					t.Errorf("policy lacks %s", want)
				}
			}
			body := rec.Body.String()
			if !strings.Contains(body, `<meta http-equiv="Content-Security-Policy" content="`+metaPolicy+`"`) {
				t.Errorf("%s %s: no policy in <head>:\n%s", name, path, body)
			}
			scripts := inlineScript.FindAllStringSubmatch(body, -1)
			if len(scripts) == 0 {
				t.Errorf("%s %s: no script at all", name, path)
			}
			for _, m := range scripts {
				if m[1] == ` type="application/json" id="`+FirstScreenID+`"` {
					continue // the first screen's data: a data block, never run (firstscreen_test.go)
				}
				if !strings.Contains(m[1], "src=") || strings.TrimSpace(m[2]) != "" {
					t.Errorf("%s %s: inline script %q", name, path, m[0])
				}
			}
			if strings.Contains(strings.ToLower(body), " on") && regexp.MustCompile(`(?i)<[^>]+\son[a-z]+=`).MatchString(body) {
				t.Errorf("%s %s: inline event handler attribute", name, path)
			}
		}
	}
}

// Library images come from the app's own origin (/media/…), which img-src
// 'self' allows, and carry the policy too.
func TestMediaURLsAreSameOriginUnderThePolicy(t *testing.T) {
	a, srv := servedBy(t, fstest.MapFS{"index.html": {Data: []byte("<!doctype html><html><head></head><body></body></html>")}})
	c, err := a.Clients.Save(ClientInput{Name: "Sol", TimeZone: "Europe/Madrid", Language: "es"})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := a.Media.Import(c.ID, []string{write(t, "pan.jpg", mediatest.JPEG(mediatest.PhotoLike(320, 240, 1), 85))})
	if err != nil || rep.Imported != 1 {
		t.Fatalf("import %+v %v", rep, err)
	}
	it := rep.Results[0].Media
	for _, u := range []string{it.ThumbURL, it.ViewURL, it.OriginalURL} {
		if !strings.HasPrefix(u, "/media/") {
			t.Fatalf("%s is not an app URL", u)
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, u, nil))
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "image/") {
			t.Errorf("%s: %d %s", u, rec.Code, rec.Header().Get("Content-Type"))
		}
		if rec.Header().Get("Content-Security-Policy") != contentSecurityPolicy {
			t.Errorf("%s: no policy header", u)
		}
	}
}

// Under `wails dev` the policy is only reported: the page is left as served.
func TestDevServerOnlyReportsThePolicy(t *testing.T) {
	page := "<!doctype html><html><head><script type=\"module\" src=\"/@vite/client\"></script></head><body></body></html>"
	h := securityPolicy(false, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(page))
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Header().Get("Content-Security-Policy") != "" || rec.Header().Get("Content-Security-Policy-Report-Only") != contentSecurityPolicy {
		t.Errorf("headers %v", rec.Header())
	}
	if rec.Body.String() != page {
		t.Errorf("page changed: %s", rec.Body.String())
	}
}
