package app

import (
	"context"
	"log"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"pauta/backend"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// URLOpener opens a web page in the user's browser (the network's composer).
// Only the Wails one touches the runtime; tests pass a fake.
type URLOpener interface {
	OpenURL(url string)
}

// wailsCtx is the Wails lifecycle context, set by startup: the runtime
// refuses (fatally) any other context, so nothing is sent before it is set.
type wailsCtx struct {
	p atomic.Pointer[context.Context]
}

func (w *wailsCtx) set(ctx context.Context) { w.p.Store(&ctx) }

func (w *wailsCtx) get() context.Context {
	if p := w.p.Load(); p != nil {
		return *p
	}
	return nil
}

// wailsOpener opens URLs through the Wails runtime once the window started.
type wailsOpener struct{ wailsCtx }

func (w *wailsOpener) OpenURL(url string) {
	if err := webURL(url); err != nil {
		log.Printf("open in browser: %v", err)
		return
	}
	if ctx := w.get(); ctx != nil {
		runtime.BrowserOpenURL(ctx, url)
	}
}

// Notifier shows a desktop notification where the OS allows. Failures are
// not the user's problem: they are logged, and the "Due now" panel still shows.
type Notifier interface {
	Notify(title, body string) error
}

// wailsNotifier sends notifications through Wails v2.16's runtime. It
// initialises the service once, lazily, and never blocks the caller (D-Bus
// on Linux can be slow or missing).
type wailsNotifier struct {
	wailsCtx
	once sync.Once
	ok   bool
	mu   sync.Mutex
}

func (w *wailsNotifier) Notify(title, body string) error {
	ctx := w.get()
	if ctx == nil {
		return nil
	}
	go func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		w.once.Do(func() {
			if err := runtime.InitializeNotifications(ctx); err != nil {
				log.Printf("notifications: %v", err)
				return
			}
			w.ok = runtime.IsNotificationAvailable(ctx)
		})
		if !w.ok {
			return
		}
		id := "pauta-due-" + strconv.FormatInt(time.Now().UnixNano(), 36)
		if err := runtime.SendNotification(ctx, runtime.NotificationOptions{ID: id, Title: title, Body: body}); err != nil {
			log.Printf("notifications: %v", err)
		}
	}()
	return nil
}

// startUI hands the Wails context to the opener and the notifier.
func (a *App) startUI(ctx context.Context) {
	if o, ok := a.opener.(*wailsOpener); ok {
		o.set(ctx)
	}
	if n, ok := a.notifier.(*wailsNotifier); ok {
		n.set(ctx)
	}
}

// outboxEvents is what the outbox emits through: the app's emitter, plus a
// desktop notification when manual posts fall due. The notification is
// written in Go (not by the web view) so it goes out even while the window is
// hidden or its page throttled; its few words come from a tiny table keyed by
// the UI language setting.
type outboxEvents struct{ app *App }

func (e outboxEvents) Emit(name string, data ...any) {
	e.app.emitter.Emit(name, data...)
	if (name == backend.EventPostsChanged || name == backend.EventOnlineChanged) && e.app.metrics != nil {
		e.app.metrics.Wake() // a post went out, or the laptop is back online: read figures
	}
	if name != backend.EventDueManual || len(data) == 0 {
		return
	}
	ids, _ := data[0].([]int64)
	if len(ids) == 0 {
		return
	}
	title, body := e.app.dueNotification(ids)
	if title == "" {
		return
	}
	if err := e.app.notifier.Notify(title, body); err != nil {
		log.Printf("notifications: %v", err)
	}
}

// dueTexts are the notification's words per UI language.
var dueTexts = map[string]struct{ one, many, more string }{
	"en": {"Time to publish by hand", "Time to publish {n} posts by hand", "and {n} more"},
	"es": {"Toca publicar a mano", "Toca publicar {n} publicaciones a mano", "y {n} más"},
	"it": {"È ora di pubblicare a mano", "È ora di pubblicare {n} post a mano", "e altri {n}"},
}

var networkNames = map[backend.Network]string{
	backend.Instagram: "Instagram", backend.Facebook: "Facebook", backend.X: "X", backend.LinkedIn: "LinkedIn",
	backend.Threads: "Threads", backend.TikTok: "TikTok", backend.Pinterest: "Pinterest", backend.YouTube: "YouTube",
	backend.GoogleBusiness: "Google Business", backend.Mastodon: "Mastodon", backend.Bluesky: "Bluesky",
}

// uiLanguage is the chosen UI language, else the system's, else English.
func (a *App) uiLanguage(ctx context.Context) string {
	if lang, _, err := a.store.GetSetting(ctx, keyLanguage); err == nil && supported(lang) {
		return lang
	}
	if lang := SystemLanguage(os.Getenv); lang != "" {
		return lang
	}
	return "en"
}

// dueNotification is the title and body telling that ids are due: the count,
// and the first post's client, network and opening words.
func (a *App) dueNotification(ids []int64) (string, string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	words := dueTexts[a.uiLanguage(ctx)]
	n := strconv.Itoa(len(ids))
	title := words.one
	if len(ids) > 1 {
		title = strings.ReplaceAll(words.many, "{n}", n)
	}
	job, err := a.store.OutboxJob(ctx, ids[0])
	if err != nil {
		return title, ""
	}
	who := networkNames[job.Account.Network]
	if c, err := a.store.GetClient(ctx, job.Account.ClientID); err == nil {
		who = c.Name + " · " + who
	}
	body := who + ": " + excerpt(job.Text, 80)
	if len(ids) > 1 {
		body += " (" + strings.ReplaceAll(words.more, "{n}", strconv.Itoa(len(ids)-1)) + ")"
	}
	return title, body
}

// excerpt is the first line of s, at most n runes (with an ellipsis).
func excerpt(s string, n int) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = strings.TrimSpace(s[:i]) + " …"
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// OpenComposer opens the network's web composer for a variant in the
// browser, with the text filled in where the network allows it.
func (s *OutboxService) OpenComposer(variantID int64) error {
	ctx, cancel := s.app.call()
	defer cancel()
	job, err := s.app.store.OutboxJob(ctx, variantID)
	if err != nil {
		return err
	}
	u := backend.ComposerURL(job.Account.Network, job.Text)
	if u == "" && strings.HasPrefix(job.Account.ServiceURL, "https://") {
		u = job.Account.ServiceURL
	}
	if u == "" {
		return backend.Errorf(backend.EInvalid, "outbox.no_composer", "%s has no web page to publish from", job.Account.Network)
	}
	if err := webURL(u); err != nil {
		return err
	}
	s.app.opener.OpenURL(u)
	return nil
}

// CheckNow re-checks every network host at once and looks for due work
// ("retry now" in the online indicator).
func (s *OutboxService) CheckNow() { s.app.outbox.CheckNow() }

// keyGrace is the setting holding the grace period in minutes.
const keyGrace = "outbox.grace_minutes"

// DefaultGraceMinutes is the grace period when none was chosen.
const DefaultGraceMinutes = 15

// graceMinutes reads the grace setting (the default when unset or unreadable).
func (a *App) graceMinutes(ctx context.Context) int {
	v, ok, err := a.store.GetSetting(ctx, keyGrace)
	if err != nil || !ok {
		return DefaultGraceMinutes
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return DefaultGraceMinutes
	}
	return n
}

// SetGrace stores the grace period (1 to 1440 minutes): how late a post may
// still go out by itself when the laptop was asleep or offline. The outbox
// uses it from its next pass.
func (s *SettingsService) SetGrace(minutes int) error {
	if minutes < 1 || minutes > 24*60 {
		return backend.Errorf(backend.EInvalid, "settings.grace_invalid", "the grace period is between 1 and 1440 minutes").WithField("graceMinutes")
	}
	ctx, cancel := s.app.call()
	defer cancel()
	if err := s.app.store.SetSetting(ctx, keyGrace, strconv.Itoa(minutes)); err != nil {
		return err
	}
	s.app.outbox.SetGrace(time.Duration(minutes) * time.Minute)
	return nil
}

// RescheduleNextSlot moves a missed (or failed) variant to its account's
// next free posting slot and returns that time in the client's zone
// ("YYYY-MM-DDTHH:MM").
func (s *OutboxService) RescheduleNextSlot(variantID int64) (string, error) {
	ctx, cancel := s.app.call()
	defer cancel()
	job, err := s.app.store.OutboxJob(ctx, variantID)
	if err != nil {
		return "", err
	}
	c, err := s.app.store.GetClient(ctx, job.Account.ClientID)
	if err != nil {
		return "", err
	}
	slots, err := s.app.store.ListSlots(ctx, c.ID)
	if err != nil {
		return "", err
	}
	const horizon = 60 // days
	now := s.app.cfg.Clock.Now()
	posts, err := s.app.store.ListPosts(ctx, backend.PostFilter{ClientID: c.ID, From: now.Add(-time.Hour), To: now.AddDate(0, 0, horizon+2)})
	if err != nil {
		return "", err
	}
	busy := map[int64]bool{} // unix seconds taken on this account
	for _, p := range posts {
		if p.ScheduledAt == nil || p.ID == job.Publish.PostID {
			continue
		}
		for _, v := range p.Variants {
			if v.AccountID == job.Account.ID {
				busy[p.ScheduledAt.Unix()] = true
			}
		}
	}
	r, err := backend.NextFreeSlot(c.TimeZone, slots, []int64{job.Account.ID}, func(_ int64, at time.Time) bool { return busy[at.Unix()] }, now, horizon)
	if err != nil {
		return "", err
	}
	if err := s.app.outbox.RescheduleVariant(ctx, variantID, r.UTC); err != nil {
		return "", err
	}
	return r.Local, nil
}
