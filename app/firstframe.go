package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"pauta/backend/atomicfile"
)

// The first frame (#18): the first screen as the page itself drew it for a
// day (at a start, or on closing the window for today and the next day),
// kept in the workspace folder and put back into the served page while the
// data it was drawn from is still exactly the same.
// The web view then paints the calendar as soon as it has parsed the page,
// without waiting for the app's scripts to load and run (~150 ms of the
// page's ~195 ms); the app mounts behind it and takes its place once it has
// painted its own first frame (frontend/src/lib/firstframe.ts).
//
// A frame is never shown for other data: its key is a hash of the served
// page as built (so of the build and its styles), the first screen's data
// (settings with the language, clients, accounts, this month's posts, the
// ideas) and the laptop's date and zone (today's mark, the month shown).
// Anything else changed since it was drawn — a post saved or published, a
// client renamed, a post fallen due — gives another key, and the page is
// served without a frame, as before; that start draws and keeps a new one.
// Another day is looked up in its own file (the one drawn on closing). The
// on/off choices the web view remembers (localStorage: the ideas panel)
// are checked by /first-frame.js before the frame is painted.

// FrameDir is the folder of the kept first frames in the workspace folder:
// one file per day, "2006-01-02.html", today's and the next day's (drawn on
// closing the window, firstframe_close.go).
const FrameDir = "first-frame"

// legacyFrameFile is where one frame was kept before frames were kept by
// day; removed when a frame is kept.
const legacyFrameFile = "first-frame.html"

// framePath is the file of the frame kept for day ("2006-01-02").
func framePath(dataDir, day string) string {
	return filepath.Join(dataDir, FrameDir, day+".html")
}

// frameMeta names the key of the served first screen in the page's <head>.
const frameMeta = "pauta-frame"

// maxFrame bounds a frame (a month of ~200 posts draws ~400 KB).
const maxFrame = 4 << 20

// frameHeader starts a frame file: "pauta-frame 1\n<key>\n<flags JSON>\n<html>".
const frameHeader = "pauta-frame 1\n"

var (
	frameKeyRE = regexp.MustCompile(`^[0-9a-f]{32}$`)
	frameDayRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}\.html$`)
	flagKeyRE  = regexp.MustCompile(`^pauta\.[A-Za-z0-9.]{1,40}$`)
)

// forbiddenTags are elements a drawn calendar never has, refused in a frame:
// the page's policy would block their scripts anyway, but a frame is only
// markup.
var forbiddenTags = [][]byte{[]byte("script"), []byte("iframe"), []byte("object"), []byte("embed"), []byte("base"),
	[]byte("meta"), []byte("link"), []byte("style"), []byte("form"), []byte("frame"), []byte("frameset"), []byte("template")}

// hasForbiddenTag reports whether markup opens one of forbiddenTags (any
// case). A scan, not a regexp: it runs on each served page (~0.15 ms for a
// 450 KB frame, against ~3.5 ms).
func hasForbiddenTag(markup []byte) bool {
	for i := 0; ; {
		j := bytes.IndexByte(markup[i:], '<')
		if j < 0 {
			return false
		}
		i += j + 1
		if i == len(markup) {
			return false
		}
		c := markup[i] | 0x20 // lower case
		for _, tag := range forbiddenTags {
			if tag[0] != c {
				continue
			}
			end := i + len(tag)
			if end > len(markup) || !bytes.EqualFold(markup[i:end], tag) {
				continue
			}
			if end == len(markup) || !isNameByte(markup[end]) {
				return true
			}
		}
	}
}

func isNameByte(c byte) bool {
	return c == '-' || c == '_' || c == ':' || c == '.' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// ErrFrame is a first frame the app will not keep.
var ErrFrame = errors.New("first frame refused")

// frameState holds the keys of the pages served (the last 16 or so) with
// the day each was drawn for, so that only a frame drawn for a page this app
// served is kept, under that day; and the day of the last frame served in a
// page (the one the page may find different and forget).
type frameState struct {
	mu     sync.Mutex
	served map[string]string
	shown  string
}

func (f *frameState) serve(key, day string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.served == nil || len(f.served) > 16 {
		f.served = map[string]string{}
	}
	f.served[key] = day
}

// servedDay is the day key was served for; "" when it was not served.
func (f *frameState) servedDay(key string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.served[key]
}

func (f *frameState) show(day string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.shown = day
}

func (f *frameState) lastShown() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.shown
}

// frameKey hashes what the first screen is drawn from: the page as built,
// the first screen's data without its change count (a count, not data), and
// the laptop's date and zone at now. data: fs as JSON when its count is 0
// (the usual start: no second encoding), nil to encode it here.
func frameKey(page []byte, fs FirstScreen, data []byte, now time.Time) (string, error) {
	if data == nil || fs.Changes != 0 {
		fs.Changes = 0
		var err error
		if data, err = json.Marshal(fs); err != nil {
			return "", err
		}
	}
	h := sha256.New()
	fmt.Fprintf(h, "%d:", len(page))
	h.Write(page)
	fmt.Fprintf(h, "%d:", len(data))
	h.Write(data)
	h.Write([]byte(now.Format("2006-01-02 -0700 MST")))
	return hex.EncodeToString(h.Sum(nil)[:16]), nil
}

// SaveFirstFrame keeps the first screen as the page drew it from the data it
// was served with (key: the page's <meta name="pauta-frame">), with the
// remembered choices it was drawn with. A key this app did not serve, markup
// with elements a calendar never has, or a frame over 4 MB is refused and
// nothing is written.
func (s *SettingsService) SaveFirstFrame(key, markup string, flags map[string]string) error {
	day := s.app.frames.servedDay(key)
	if !frameKeyRE.MatchString(key) || day == "" {
		return fmt.Errorf("%w: not a key this window was served", ErrFrame)
	}
	if markup == "" || len(markup) > maxFrame || hasForbiddenTag([]byte(markup)) {
		return fmt.Errorf("%w: not a drawn first screen", ErrFrame)
	}
	if len(flags) > 16 {
		return fmt.Errorf("%w: %d remembered choices", ErrFrame, len(flags))
	}
	for k, v := range flags {
		if !flagKeyRE.MatchString(k) || (v != "" && v != "0" && v != "1") {
			return fmt.Errorf("%w: remembered choice %q", ErrFrame, k)
		}
	}
	if flags == nil {
		flags = map[string]string{}
	}
	fl, err := json.Marshal(flags)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	b.WriteString(frameHeader)
	b.WriteString(key + "\n")
	b.Write(fl)
	b.WriteString("\n")
	b.WriteString(markup)
	dir := s.app.cfg.DataDir
	if err := os.MkdirAll(filepath.Join(dir, FrameDir), 0o700); err != nil {
		return err
	}
	if err := atomicfile.WriteBytes(framePath(dir, day), 0o600, b.Bytes()); err != nil {
		return err
	}
	pruneFrames(dir, s.app.cfg.Clock.Now().In(time.Local))
	return nil
}

// pruneFrames removes the kept frames of days other than today (at now) and
// the next framesAhead days, which no start can be served (a cache: a clock
// set back only costs a start its frame), and the one file of before.
func pruneFrames(dataDir string, now time.Time) {
	keep := map[string]bool{}
	for d := 0; d <= framesAhead; d++ {
		keep[now.AddDate(0, 0, d).Format(time.DateOnly)+".html"] = true
	}
	entries, _ := os.ReadDir(filepath.Join(dataDir, FrameDir))
	for _, e := range entries {
		if name := e.Name(); frameDayRE.MatchString(name) && !keep[name] {
			_ = os.Remove(filepath.Join(dataDir, FrameDir, name))
		}
	}
	_ = os.Remove(filepath.Join(dataDir, legacyFrameFile))
}

// ForgetFirstFrame removes the frame last served: the page found that the
// app drew the same data differently (a frame that would not be shown again
// as it was is better drawn anew at the next start).
func (s *SettingsService) ForgetFirstFrame() error {
	day := s.app.frames.lastShown()
	if day == "" {
		return nil
	}
	if err := os.Remove(framePath(s.app.cfg.DataDir, day)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// storedFrame is the frame kept for day when its key is key; ok false
// otherwise (none kept, another key, an unreadable file).
func storedFrame(dataDir, day, key string) (markup string, flags string, ok bool) {
	f, err := os.Open(framePath(dataDir, day))
	if err != nil {
		return "", "", false
	}
	defer f.Close()
	head := make([]byte, len(frameHeader)+len(key)+1)
	if _, err := io.ReadFull(f, head); err != nil || string(head) != frameHeader+key+"\n" {
		return "", "", false
	}
	rest, err := io.ReadAll(io.LimitReader(f, maxFrame+4096))
	if err != nil || len(rest) == maxFrame+4096 {
		return "", "", false
	}
	fl, body, found := bytes.Cut(rest, []byte("\n"))
	var m map[string]string
	if !found || json.Unmarshal(fl, &m) != nil || len(body) == 0 || hasForbiddenTag(body) {
		return "", "", false
	}
	return string(body), string(fl), true
}

// frameInsert is the frame as it goes inside <div id="app">, and the
// script that checks its remembered choices right after it.
func frameInsert(markup, flags string) (inApp, after string) {
	return `<div data-frame inert data-flags="` + html.EscapeString(flags) + `">` + markup + `</div>`,
		`<script src="/first-frame.js"></script>`
}

// insertFrame puts the frame into page's `<div id="app"></div>`; page
// unchanged when it has no such element.
func insertFrame(page []byte, inApp, after string) []byte {
	const empty = `<div id="app"></div>`
	i := bytes.Index(page, []byte(empty))
	if i < 0 || !strings.HasPrefix(inApp, "<div data-frame") {
		return page
	}
	open := i + len(`<div id="app">`)
	out := make([]byte, 0, len(page)+len(inApp)+len(after))
	out = append(out, page[:open]...)
	out = append(out, inApp...)
	out = append(out, "</div>"...)
	out = append(out, after...)
	return append(out, page[i+len(empty):]...)
}
