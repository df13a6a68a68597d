package app

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
)

// contentSecurityPolicy is what the web view may load: scripts, styles,
// images and connections from the app itself only (images are served by
// MediaService under /media/ on the same origin), nothing framed, no
// plugins. Defence in depth: no injection is known, but a post's text or a
// server's answer shown by a future bug cannot run script or send data out.
//
// style-src keeps 'unsafe-inline': Svelte 5 puts a component's static style
// attributes (the Wails drop-target markers --wails-drop-target, colour
// variables) into its template HTML, which the browser parses as inline
// styles; blocking them breaks file drops. Styles cannot run script, and
// img-src, font-src and connect-src leave CSS no address outside the app.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'; " +
	"font-src 'self'; connect-src 'self'; media-src 'none'; object-src 'none'; frame-src 'none'; worker-src 'none'; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// metaPolicy is the policy repeated in index.html's <head>, for a web view
// that would not apply headers of the app's own scheme; frame-ancestors has
// no effect there.
var metaPolicy = strings.TrimSuffix(contentSecurityPolicy, "; frame-ancestors 'none'")

// contentSecurity is the AssetServer middleware setting the policy on every
// response and in the page itself. In `wails dev` (cspEnforced false: Vite's
// dev client, its websocket and the browser-mode IPC of the e2e tests) it
// only reports violations in the console.
func contentSecurity(next http.Handler) http.Handler { return securityPolicy(cspEnforced, next) }

func securityPolicy(enforce bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !enforce {
			w.Header().Set("Content-Security-Policy-Report-Only", contentSecurityPolicy)
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Security-Policy", contentSecurityPolicy)
		if r.Method != http.MethodGet || !(strings.HasSuffix(r.URL.Path, "/") || strings.HasSuffix(r.URL.Path, "/index.html")) {
			next.ServeHTTP(w, r)
			return
		}
		rec := &pageRecorder{header: http.Header{}, code: http.StatusOK}
		next.ServeHTTP(rec, r)
		body := rec.body.Bytes()
		if rec.code == http.StatusOK && strings.HasPrefix(rec.header.Get("Content-Type"), "text/html") {
			body = withMetaPolicy(body)
			rec.header.Set("Content-Length", strconv.Itoa(len(body)))
		}
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.code)
		w.Write(body)
	})
}

// withMetaPolicy inserts the policy as the first element of <head>.
func withMetaPolicy(page []byte) []byte {
	i := bytes.Index(bytes.ToLower(page), []byte("<head>"))
	if i < 0 {
		return page
	}
	i += len("<head>")
	meta := `<meta http-equiv="Content-Security-Policy" content="` + metaPolicy + `">`
	return append(append(append([]byte{}, page[:i]...), meta...), page[i:]...)
}

// pageRecorder keeps an index page to add the policy to it.
type pageRecorder struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (p *pageRecorder) Header() http.Header         { return p.header }
func (p *pageRecorder) WriteHeader(code int)        { p.code = code }
func (p *pageRecorder) Write(b []byte) (int, error) { return p.body.Write(b) }
