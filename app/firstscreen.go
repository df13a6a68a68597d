package app

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The first screen's data travels inside the page: the index.html the web
// view loads carries it as a JSON data block,
//
//	<script type="application/json" id="pauta-first-screen">{…}</script>
//
// read by the page before it mounts (frontend/src/lib/api/firstscreen.ts).
// The calendar then paints with its posts in its first frame, instead of
// after the settings, the workspace and the posts have each crossed the
// bridge in turn (~400 ms of a 1.6 s start). A data block is never run, so
// the policy's script-src 'self' holds; json.Marshal escapes <, > and &, so
// nothing in the data can close the element. Without the block (it could
// not be read) the page asks SettingsService.FirstScreen for the same.

// FirstScreenID is the id of the data block in the page.
const FirstScreenID = "pauta-first-screen"

// FirstScreen is what the window shows first.
type FirstScreen struct {
	Settings  Settings  `json:"settings"`
	Workspace Workspace `json:"workspace"` // archived clients too, as the sidebar asks
	Networks  []string  `json:"networks"`
	// Calendar: the month view of today (the laptop's zone) for all clients;
	// nil on a first run, which shows no calendar.
	Calendar *FirstCalendar `json:"calendar,omitempty"`
	// Changes: SettingsService.Changes when this was read. The page listens
	// to events only once it runs; if the count has moved on by then, it
	// missed a change and refetches.
	Changes uint64 `json:"changes"`
}

// FirstCalendar is the answer to PostService.Calendar for the month view of
// today for all clients (the same lean shape), with PostService.Ideas(0).
type FirstCalendar struct {
	ClientID int64          `json:"clientId"` // 0: all clients
	From     string         `json:"from"`     // the month grid's first day, "2006-01-02"
	To       string         `json:"to"`       // its last day (6 weeks, Monday first)
	Posts    []CalendarPost `json:"posts"`
	Ideas    []PostView     `json:"ideas"`
}

// FirstScreen answers what the page carries (the page asks for it when it
// has no data block, and again on "Retry" after a failed start).
func (s *SettingsService) FirstScreen() (FirstScreen, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	return s.app.firstScreen(ctx, s.app.cfg.Clock.Now().In(time.Local))
}

// Changes is how many clients:changed and posts:changed events the app has
// sent since it started (see FirstScreen.Changes).
func (s *SettingsService) Changes() uint64 { return s.app.changes.n.Load() }

// firstScreen reads the first screen's data on the day of now (the
// laptop's zone). The count is read first: an event sent while the rest is
// read makes the page refetch, at worst once more than needed.
func (a *App) firstScreen(ctx context.Context, now time.Time) (FirstScreen, error) {
	fs := FirstScreen{Changes: a.changes.n.Load(), Networks: a.Clients.Networks()}
	var err error
	if fs.Settings, err = a.settings(ctx); err != nil {
		return FirstScreen{}, err
	}
	if fs.Workspace, err = a.workspace(ctx, true); err != nil {
		return FirstScreen{}, err
	}
	if fs.Settings.FirstRun {
		return fs, nil
	}
	from, to := monthGrid(now)
	cal := &FirstCalendar{From: from.Format(time.DateOnly), To: to.Format(time.DateOnly)}
	if cal.Posts, err = a.Posts.calendar(ctx, PostQuery{From: cal.From, To: cal.To}, from, to); err != nil {
		return FirstScreen{}, err
	}
	if cal.Ideas, err = a.Posts.ideas(ctx, 0); err != nil {
		return FirstScreen{}, err
	}
	fs.Calendar = cal
	return fs, nil
}

// monthGrid is the calendar's month view of the day t falls on: 42 days
// from the Monday on or before the 1st (frontend/src/lib/calendar/dates.ts,
// viewRange("month", …)), as dates at midnight UTC.
func monthGrid(t time.Time) (from, to time.Time) {
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	from = first.AddDate(0, 0, -((int(first.Weekday()) + 6) % 7))
	return from, from.AddDate(0, 0, 41)
}

// platformFonts is the page's font families for the platform, as a style
// block setting the variables app.css reads (none: app.css's own, the
// platform's UI font by system-ui). On Linux, WebKitGTK resolves system-ui
// through the desktop's settings and fontconfig at each size and weight
// the first screen uses: ~33 ms of its ~75 ms of style and layout, where
// sans-serif (fontconfig's own default face, which desktops set to their
// font) costs nothing (#18, measured in the real window).
func platformFonts(goos string) string {
	if goos != "linux" {
		return ""
	}
	return `<style>:root{--ui-font:sans-serif;--mono-font:monospace}</style>`
}

// firstScreenPage is the index page with the first screen's data in its
// <head> and, when one was kept for exactly this data, the first frame in
// its <div id="app"> (firstframe.go). Without data (it could not be read)
// the page goes as built: the page asks for it, and shows the error if it
// persists.
func (a *App) firstScreenPage(font string, page []byte) []byte {
	ctx, cancel := a.call()
	defer cancel()
	head, inApp, after := font, "", ""
	now := a.pageNow()
	if fs, err := a.firstScreen(ctx, now); err == nil {
		if b, err := json.Marshal(fs); err == nil { // HTML-safe: <, > and & come out as \u003c…
			head += `<script type="application/json" id="` + FirstScreenID + `">` + string(b) + `</script>`
			if fs.Calendar != nil {
				day := now.Format(time.DateOnly)
				if key, err := frameKey(page, fs, b, now); err == nil {
					a.frames.serve(key, day)
					built := append([]byte(nil), page...)
					a.closeFrame.lastPage.Store(&built)
					closing := "" // the window is closing: keep the frame, then say so (firstframe_close.go)
					if a.closeFrame.closing.Load() {
						closing = ` data-closing=""`
					}
					head += `<meta name="` + frameMeta + `" content="` + key + `" data-day="` + day + `"` + closing + `>`
					if markup, flags, ok := storedFrame(a.cfg.DataDir, day, key); ok {
						inApp, after = frameInsert(markup, flags)
						a.frames.show(day)
					}
				}
			}
		}
	}
	if shift := now.Sub(time.Now()).Round(time.Second); shift != 0 {
		head += `<meta name="` + clockMeta + `" content="` + strconv.FormatInt(shift.Milliseconds(), 10) + `">`
	}
	if i := bytes.Index(bytes.ToLower(page), []byte("</head>")); i >= 0 && head != "" {
		page = append(append(append([]byte{}, page[:i]...), head...), page[i:]...)
	}
	if inApp != "" {
		page = insertFrame(page, inApp, after)
	}
	a.firstPage.served()
	return page
}

// firstPageWait bounds how long the background loops wait for the first page.
const firstPageWait = 2 * time.Second

// firstPageGate holds the background loops (outbox, inbox, metrics) until
// the window's first page has been served. They change what the first
// screen shows — a post that fell due while Pauta was closed is sent at
// once — and the first page must be served the data as it was when the
// window closed, for the first frame kept then (firstframe_close.go) to be
// served: a start after a night paints it, and the app shows what the loops
// do a moment later, as any change. Publishing waits for the page (~0.2 s)
// or for firstPageWait at most.
type firstPageGate struct {
	once sync.Once
	ch   chan struct{} // closed once served (made in New)
}

// served says the first page has been served.
func (g *firstPageGate) served() {
	g.once.Do(func() { close(g.ch) })
}

// then runs start, on its own goroutine, once the first page has been
// served or wait has passed; never when ctx ends first.
func (g *firstPageGate) then(ctx context.Context, wait time.Duration, start func()) {
	done := g.ch
	go func() {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-done:
		case <-t.C:
		case <-ctx.Done():
			return
		}
		start()
	}()
}

// clockMeta names the page's clock in its <head>: how far, in ms, the app's
// time is from the laptop's clock (frontend/src/lib/clock.ts), when it is:
// the next day's page drawn on closing (firstframe_close.go), or a clock set
// by PAUTA_CLOCK_SHIFT (cli). Absent, the page runs on the laptop's clock.
const clockMeta = "pauta-clock"

// pageNow is the time a page is served for: the app's clock, or the day
// ahead whose first frame a closing window draws.
func (a *App) pageNow() time.Time {
	now := a.cfg.Clock.Now().In(time.Local)
	if a.closeFrame.closing.Load() {
		if d := a.closeFrame.ahead.Load(); d > 0 {
			now = now.AddDate(0, 0, int(d))
		}
	}
	return now
}

// pageMiddleware is the asset server's middleware: the first screen in the
// page, then the content security policy on every response.
func (a *App) pageMiddleware(next http.Handler) http.Handler {
	font := platformFonts(runtime.GOOS)
	return contentSecurity(withFirstScreen(func(page []byte) []byte { return a.firstScreenPage(font, page) }, next))
}

// withFirstScreen serves the index page through fill. The page is never
// cached (its data is read at each load): validators are dropped both ways,
// so the page is always served whole.
func withFirstScreen(fill func(page []byte) []byte, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || !isIndexPath(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		r = r.Clone(r.Context())
		for _, h := range []string{"If-None-Match", "If-Modified-Since", "Accept-Encoding"} {
			r.Header.Del(h)
		}
		rec := &pageRecorder{header: http.Header{}, code: http.StatusOK}
		next.ServeHTTP(rec, r)
		body := rec.body.Bytes()
		if rec.code == http.StatusOK && strings.HasPrefix(rec.header.Get("Content-Type"), "text/html") && rec.header.Get("Content-Encoding") == "" {
			body = fill(body)
			rec.header.Set("Content-Length", strconv.Itoa(len(body)))
			rec.header.Set("Cache-Control", "no-store")
			rec.header.Del("ETag")
			rec.header.Del("Last-Modified")
		}
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.code)
		w.Write(body)
	})
}

func isIndexPath(p string) bool {
	return strings.HasSuffix(p, "/") || strings.HasSuffix(p, "/index.html")
}
