package ics_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"pauta/backend"
	"pauta/backend/ics"

	"github.com/emersion/go-ical"
	"github.com/rivo/uniseg"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// Tuesday 24 November 2026, 10:00 UTC.
var testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// local places a wall-clock time in zone on the timeline.
func local(t *testing.T, zone, s string) *time.Time {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	at, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	u := at.UTC()
	return &u
}

const (
	textSol = "Nuevo pan de masa madre: 48 horas de fermentación, una corteza que cruje y miga tierna. ¡Ven temprano! 🥖 #PanaderíaSol"
	// Every TEXT special: comma, semicolon, backslash, CRLF and LF, a ZWJ
	// family emoji, a flag, combining and precomposed accents, CJK.
	textTricky = "Perché; sì, \\ proprio così.\r\nSeconda riga 👨‍👩‍👧‍👦 🇮🇹 e\u0301 é — 设计周 " +
		"ùàòèì ÀÈÌÒÙ ñ ç ß ø 🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉 fine."
)

// fixture is two clients in Madrid and Rome with posts on both sides of the
// 2026 DST changes, every status, variants, labels and tricky text.
func fixture(t *testing.T) ics.Data {
	t.Helper()
	created := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	updated := time.Date(2026, 2, 1, 12, 30, 0, 0, time.UTC)
	post := func(id, client int64, status backend.PostStatus, zone, at, text string, seq int, accounts ...int64) backend.Post {
		p := backend.Post{ID: id, ClientID: client, Status: status, BaseText: text, TimeZone: zone,
			Labels: []string{}, Sequence: seq, CreatedAt: created, UpdatedAt: updated}
		if at != "" {
			p.ScheduledAt = local(t, zone, at)
		}
		for _, a := range accounts {
			p.Variants = append(p.Variants, backend.Variant{ID: id*10 + a, PostID: id, AccountID: a})
		}
		return p
	}
	sol1 := post(1, 1, backend.StatusScheduled, "Europe/Madrid", "2026-03-27 09:00", textSol, 2, 2, 1)
	sol1.Labels = []string{"producto", "pan, bollería"}
	sol2 := post(2, 1, backend.StatusScheduled, "Europe/Madrid", "2026-03-30 09:00", "Lunes de espelta.", 0, 1, 2)
	sol2.Variants[1].Text = "Lunes de espelta con nueces: solo en Facebook te contamos la receta."
	sol3 := post(3, 1, backend.StatusDraft, "Europe/Madrid", "2026-10-23 09:00", "Borrador: torrijas de otoño", 0)
	sol4 := post(4, 1, backend.StatusPublished, "Europe/Madrid", "2026-10-26 09:00", "Ganadora del sorteo: ¡enhorabuena!", 5, 2)
	sol5 := post(5, 1, backend.StatusIdea, "Europe/Madrid", "", "Idea: pan de calabaza", 0)
	bre6 := post(6, 2, backend.StatusScheduled, "Europe/Rome", "2026-03-27 09:00", textTricky, 1, 3, 4)
	bre6.Labels = []string{"processo"}
	bre7 := post(7, 2, backend.StatusFailed, "Europe/Rome", "2026-10-26 09:00", "La lampada Nebbia è in finale all'ADI Design Index.", 3, 3)
	bre8 := post(8, 2, backend.StatusNeedsReview, "Europe/Rome", "2026-03-30 09:00", "Benvenuto a Marco Galli.", 0, 3)
	bre8.Variants[0].FirstComment = "Foto di @marcogalli"
	bre9 := post(9, 2, backend.StatusScheduled, "Europe/Rome", "2026-03-31 09:00", "Deleted, in the bin.", 0, 3)
	bre9.DeletedAt = &updated
	return ics.Data{
		Clients: []backend.Client{
			{ID: 1, Name: "Panadería Sol", TimeZone: "Europe/Madrid"},
			{ID: 2, Name: "Studio Brera", TimeZone: "Europe/Rome"},
		},
		Accounts: []backend.Account{
			{ID: 1, ClientID: 1, Network: backend.Instagram, Handle: "@panaderiasol"},
			{ID: 2, ClientID: 1, Network: backend.Facebook, Handle: "panaderiasol"},
			{ID: 3, ClientID: 2, Network: backend.LinkedIn, Handle: "studio-brera"},
			{ID: 4, ClientID: 2, Network: backend.Mastodon, Handle: "@studiobrera@mastodon.design"},
		},
		Posts: []backend.Post{sol1, sol2, sol3, sol4, sol5, bre6, bre7, bre8, bre9},
	}
}

func exporter() *ics.Exporter {
	return &ics.Exporter{Clock: backend.FixedClock{T: testNow}, Namespace: "0123abcd",
		PostURL: func(p *backend.Post) string {
			return "https://www.facebook.com/panaderiasol/posts/" + strconv.FormatInt(p.ID, 10)
		}}
}

func export(t *testing.T, e *ics.Exporter, d ics.Data, o ics.Options) (string, int) {
	t.Helper()
	var b bytes.Buffer
	n, err := e.Write(&b, d, o)
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, b.Bytes())
	return b.String(), n
}

// checkLines asserts RFC 5545 §3.1 on raw output: CRLF line ends only, every
// physical line at most 75 octets and valid UTF-8 on its own.
func checkLines(t *testing.T, out []byte) {
	t.Helper()
	if !bytes.HasSuffix(out, []byte("\r\n")) {
		t.Errorf("output does not end with CRLF")
	}
	lines := bytes.Split(bytes.TrimSuffix(out, []byte("\r\n")), []byte("\r\n"))
	for i, l := range lines {
		if len(l) > ics.MaxLineOctets {
			t.Errorf("line %d has %d octets: %q", i+1, len(l), l)
		}
		if !utf8.Valid(l) {
			t.Errorf("line %d is not valid UTF-8 on its own: %q", i+1, l)
		}
		if bytes.ContainsAny(l, "\r\n") {
			t.Errorf("line %d holds a bare CR or LF: %q", i+1, l)
		}
	}
}

func decode(t *testing.T, s string) *ical.Calendar {
	t.Helper()
	cal, err := ical.NewDecoder(strings.NewReader(s)).Decode()
	if err != nil {
		t.Fatalf("go-ical cannot read the export back: %v", err)
	}
	return cal
}

func events(t *testing.T, cal *ical.Calendar) map[string]*ical.Component {
	t.Helper()
	out := map[string]*ical.Component{}
	for _, c := range cal.Children {
		if c.Name == ical.CompEvent {
			uid, _ := c.Props.Text(ical.PropUID)
			out[uid] = c
		}
	}
	return out
}

func text(t *testing.T, c *ical.Component, name string) string {
	t.Helper()
	p := c.Props.Get(name)
	if p == nil {
		t.Fatalf("%s: no %s", c.Name, name)
	}
	v, err := p.Text()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./backend/ics -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test ./backend/ics -update rewrites it)\n--- got\n%s", name, got)
	}
}

func TestGolden(t *testing.T) {
	d := fixture(t)
	all, n := export(t, exporter(), d, ics.Options{IncludeDrafts: true})
	if n != 7 { // 9 posts minus the idea and the deleted one
		t.Errorf("all clients: %d events, want 7", n)
	}
	golden(t, "all-clients.ics", all)

	one := d
	one.Clients = d.Clients[:1]
	sol, n := export(t, exporter(), one, ics.Options{From: "2026-03-01", To: "2026-10-31", Duration: 30 * time.Minute})
	if n != 3 { // the draft stays out
		t.Errorf("one client: %d events, want 3", n)
	}
	golden(t, "panaderia-sol.ics", sol)
}

func TestParseBackFields(t *testing.T) {
	out, _ := export(t, exporter(), fixture(t), ics.Options{IncludeDrafts: true})
	cal := decode(t, out)
	for prop, want := range map[string]string{
		ical.PropProductID: "-//Pauta//Pauta 0.1//EN", ical.PropVersion: "2.0", ical.PropCalendarScale: "GREGORIAN",
		ical.PropMethod: "PUBLISH", ical.PropName: ics.AllClientsName, "X-WR-CALNAME": ics.AllClientsName, "X-WR-TIMEZONE": "Europe/Madrid",
	} {
		if got := text(t, cal.Component, prop); got != want {
			t.Errorf("%s = %q, want %q", prop, got, want)
		}
	}
	evs := events(t, cal)
	if len(evs) != 7 {
		t.Fatalf("%d events, want 7", len(evs))
	}
	for _, gone := range []string{"post-5-0123abcd@pauta.app", "post-9-0123abcd@pauta.app"} {
		if evs[gone] != nil {
			t.Errorf("%s (idea or deleted) was exported", gone)
		}
	}

	e := evs["post-1-0123abcd@pauta.app"]
	if e == nil {
		t.Fatalf("no event for post 1; UIDs: %v", keys(evs))
	}
	if got, want := text(t, e, ical.PropSummary), "[Panadería Sol] IG·FB — Nuevo pan de masa madre: 48 horas de fermentación, una…"; got != want {
		t.Errorf("SUMMARY = %q, want %q", got, want)
	}
	wantDesc := "Status: Scheduled\nClient: Panadería Sol\nLabels: producto, pan, bollería\n\nInstagram @panaderiasol · Facebook panaderiasol:\n" + textSol
	if got := text(t, e, ical.PropDescription); got != wantDesc {
		t.Errorf("DESCRIPTION = %q, want %q", got, wantDesc)
	}
	cats, err := e.Props.Get(ical.PropCategories).TextList()
	if err != nil || strings.Join(cats, "|") != "Panadería Sol|producto|pan, bollería" {
		t.Errorf("CATEGORIES = %q (%v)", cats, err)
	}
	for prop, want := range map[string]string{ical.PropStatus: "CONFIRMED", ical.PropSequence: "2", ical.PropTransparency: "TRANSPARENT"} {
		if got := e.Props.Get(prop).Value; got != want {
			t.Errorf("%s = %q, want %q", prop, got, want)
		}
	}
	stamp, _ := e.Props.DateTime(ical.PropDateTimeStamp, nil)
	mod, _ := e.Props.DateTime(ical.PropLastModified, nil)
	if !stamp.Equal(testNow) || !mod.Equal(time.Date(2026, 2, 1, 12, 30, 0, 0, time.UTC)) {
		t.Errorf("DTSTAMP %v, LAST-MODIFIED %v", stamp, mod)
	}
	start, _ := e.Props.DateTime(ical.PropDateTimeStart, nil)
	end, _ := e.Props.DateTime(ical.PropDateTimeEnd, nil)
	if end.Sub(start) != ics.DefaultDuration || start.Location().String() != "Europe/Madrid" {
		t.Errorf("DTSTART %v, DTEND %v", start, end)
	}
	if e.Props.Get(ical.PropURL) != nil {
		t.Errorf("a scheduled post has a URL")
	}

	// Variants with their own text are listed apart.
	if got := text(t, evs["post-2-0123abcd@pauta.app"], ical.PropDescription); !strings.Contains(got, "Instagram @panaderiasol:\nLunes de espelta.\n\nFacebook panaderiasol:\nLunes de espelta con nueces") {
		t.Errorf("post 2 DESCRIPTION = %q", got)
	}
	for uid, want := range map[string]string{"post-3-0123abcd@pauta.app": "TENTATIVE", "post-4-0123abcd@pauta.app": "CONFIRMED",
		"post-7-0123abcd@pauta.app": "TENTATIVE", "post-8-0123abcd@pauta.app": "TENTATIVE"} {
		if got := evs[uid].Props.Get(ical.PropStatus).Value; got != want {
			t.Errorf("%s STATUS = %s, want %s", uid, got, want)
		}
	}
	if got := text(t, evs["post-3-0123abcd@pauta.app"], ical.PropSummary); got != "[Panadería Sol] Borrador: torrijas de otoño" {
		t.Errorf("draft without accounts: SUMMARY %q", got)
	}
	pub := evs["post-4-0123abcd@pauta.app"]
	if u, err := pub.Props.URI(ical.PropURL); err != nil || u.String() != "https://www.facebook.com/panaderiasol/posts/4" {
		t.Errorf("published URL = %v (%v)", u, err)
	}
	if !strings.Contains(text(t, pub, ical.PropDescription), "\nPublished: https://www.facebook.com/panaderiasol/posts/4") {
		t.Errorf("published DESCRIPTION lacks the link")
	}
	if got := text(t, evs["post-8-0123abcd@pauta.app"], ical.PropDescription); !strings.HasSuffix(got, "\n\nFirst comment:\nFoto di @marcogalli") {
		t.Errorf("first comment missing: %q", got)
	}
	if got := text(t, evs["post-6-0123abcd@pauta.app"], ical.PropSummary); !strings.HasPrefix(got, "[Studio Brera] LI·MA — Perché; sì, \\ proprio così. Seconda riga") {
		t.Errorf("SUMMARY with newline and specials = %q", got)
	}
}

// openEscape reports whether l ends in an odd run of backslashes: an escape
// whose character went to the next line.
func openEscape(l string) bool {
	n := len(l) - len(strings.TrimRight(l, `\`))
	return n%2 == 1
}

func keys(m map[string]*ical.Component) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestEscapingAndFolding(t *testing.T) {
	out, _ := export(t, exporter(), fixture(t), ics.Options{IncludeDrafts: true})
	// Escapes on the wire (before unfolding they may sit on two lines, but
	// never split: the folder keeps a backslash with the character it escapes).
	unfolded := strings.ReplaceAll(out, "\r\n ", "")
	for _, want := range []string{`Perché\; sì\, \\ proprio così.\nSeconda riga`, `CATEGORIES:Panadería Sol,producto,pan\, bollería`} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("escaped text %q not found", want)
		}
	}
	for _, l := range strings.Split(out, "\r\n") {
		if openEscape(l) {
			t.Errorf("a fold splits an escape: %q", l)
		}
	}
	// Unfolding and unescaping gives back the original text exactly (CRLF
	// inside a post becomes LF: TEXT has only one newline).
	e := events(t, decode(t, out))["post-6-0123abcd@pauta.app"]
	desc := text(t, e, ical.PropDescription)
	want := strings.ReplaceAll(textTricky, "\r\n", "\n")
	if !strings.HasSuffix(desc, "LinkedIn studio-brera · Mastodon @studiobrera@mastodon.design:\n"+want) {
		t.Errorf("DESCRIPTION did not round-trip:\n got %q\nwant suffix %q", desc, want)
	}
	// The long DESCRIPTION really was folded, and some fold fell right
	// after a multi-byte character.
	if !strings.Contains(out, "\r\n ") {
		t.Fatal("nothing was folded")
	}
}

// TestGoICalEncoderDoesNotFold records why ics has its own folding step:
// go-ical v0.0.0-20250329121855 writes each property on one line, however
// long. If upstream starts folding, this fails and Folder can be dropped.
func TestGoICalEncoderDoesNotFold(t *testing.T) {
	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropProductID, ics.ProductID)
	cal.Props.SetText(ical.PropVersion, "2.0")
	ev := ical.NewEvent()
	ev.Props.SetText(ical.PropUID, "x")
	ev.Props.SetDateTime(ical.PropDateTimeStamp, testNow)
	ev.Props.SetText(ical.PropSummary, strings.Repeat("é🥖", 40))
	cal.Children = append(cal.Children, ev.Component)
	var raw bytes.Buffer
	if err := ical.NewEncoder(&raw).Encode(cal); err != nil {
		t.Fatal(err)
	}
	longest := 0
	for _, l := range strings.Split(raw.String(), "\r\n") {
		longest = max(longest, len(l))
	}
	if longest <= ics.MaxLineOctets {
		t.Errorf("go-ical now folds (longest line %d octets): revisit Folder", longest)
	}
	var folded bytes.Buffer
	if err := ics.Encode(&folded, cal); err != nil {
		t.Fatal(err)
	}
	checkLines(t, folded.Bytes())
	back := decode(t, folded.String())
	if got := text(t, back.Children[0], ical.PropSummary); got != strings.Repeat("é🥖", 40) {
		t.Errorf("folded SUMMARY read back as %q", got)
	}
}

// clusterBoundary reports whether byte offset i of s falls between two
// grapheme clusters.
func clusterBoundary(s string, i int) bool {
	pos, rest, state := 0, s, -1
	for pos < i && rest != "" {
		var c string
		c, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		pos += len(c)
	}
	return pos == i
}

// TestEncodeMatchesGoICal: Encode writes the same content lines as
// go-ical's own encoder (which neither folds nor orders), only folded and
// in a readable order.
func TestEncodeMatchesGoICal(t *testing.T) {
	cal, _, err := exporter().Calendar(fixture(t), ics.Options{IncludeDrafts: true})
	if err != nil {
		t.Fatal(err)
	}
	var theirs, ours bytes.Buffer
	if err := ical.NewEncoder(&theirs).Encode(cal); err != nil {
		t.Fatal(err)
	}
	if err := ics.Encode(&ours, cal); err != nil {
		t.Fatal(err)
	}
	sorted := func(s string) string {
		lines := strings.Split(s, "\r\n")
		sort.Strings(lines)
		return strings.Join(lines, "\n")
	}
	if a, b := sorted(theirs.String()), sorted(strings.ReplaceAll(ours.String(), "\r\n ", "")); a != b {
		t.Errorf("content lines differ from go-ical's encoder:\n%s\n---\n%s", a, b)
	}
	if theirs.String() == ours.String() {
		t.Errorf("no folding or ordering happened")
	}
}

func TestFolderProperties(t *testing.T) {
	pieces := []string{"a", "é", "🥖", "👨‍👩‍👧", `\,`, `\\`, `\n`, "語", " ", "x"}
	for n := 0; n < 400; n++ {
		// A deterministic mix of 1- to 4-byte characters and escapes at every
		// offset, written in awkward chunks.
		var line strings.Builder
		line.WriteString("DESCRIPTION:")
		for i := 0; i < n; i++ {
			line.WriteString(pieces[(i*7+n)%len(pieces)])
		}
		in := line.String() + "\r\nEND:VEVENT\r\n"
		var out bytes.Buffer
		f := ics.NewFolder(&out)
		for i := 0; i < len(in); i += 13 {
			if _, err := f.Write([]byte(in[i:min(i+13, len(in))])); err != nil {
				t.Fatal(err)
			}
		}
		checkLines(t, out.Bytes())
		if got := strings.ReplaceAll(out.String(), "\r\n ", ""); got != in {
			t.Fatalf("n=%d: unfolding does not give the input back:\n got %q\nwant %q", n, got, in)
		}
		for _, l := range strings.Split(out.String(), "\r\n") {
			if openEscape(l) {
				t.Fatalf("n=%d: fold right after an escaping backslash: %q", n, l)
			}
		}
	}
}

func TestSummaryShorten(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Corto.", "Corto."},
		{"  varias\n\nlíneas\t y  espacios ", "varias líneas y espacios"},
		{strings.Repeat("palabra ", 12), "palabra palabra palabra palabra palabra palabra palabra…"},
		// No space at all: cut at a grapheme boundary, 59 clusters + "…".
		{strings.Repeat("👨‍👩‍👧", 70), strings.Repeat("👨‍👩‍👧", 59) + "…"},
		{strings.Repeat("e\u0301", 70), strings.Repeat("e\u0301", 59) + "…"},
		{"https://example.com/" + strings.Repeat("a", 80), "https://example.com/" + strings.Repeat("a", 39) + "…"},
		// Exactly the limit stays whole; one more is cut.
		{strings.Repeat("é", 60), strings.Repeat("é", 60)},
		{strings.Repeat("é", 61), strings.Repeat("é", 59) + "…"},
		{strings.Repeat("🇪🇸", 60), strings.Repeat("🇪🇸", 60)},
		// White space does not count against the look-ahead.
		{strings.Repeat(" \n", 3000) + "hola", "hola"},
		{strings.Repeat("\t", 5000) + strings.Repeat("y", 80), strings.Repeat("y", 59) + "…"},
		{strings.Repeat("🥖", 2000), strings.Repeat("🥖", 59) + "…"},
		// A 100 KB post costs no more than its start.
		{strings.Repeat("palabra ", 12500), "palabra palabra palabra palabra palabra palabra palabra…"},
		// Trailing punctuation before the cut goes.
		{strings.Repeat("uno, ", 20), strings.Repeat("uno, ", 11) + "uno…"},
	} {
		got := ics.Shorten(tc.in, ics.SummaryTextMax)
		if got != tc.want {
			t.Errorf("Shorten(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
		if n := uniseg.GraphemeClusterCount(got); n > ics.SummaryTextMax {
			t.Errorf("too long: %d characters", n)
		}
	}
	for _, in := range []string{"", " ", "a", " a", "a ", "a  b", "a\tb", "a\n\nb", "\u00a0a\u2003b\u3000", "🥖 🥖", "x\u0085y", "ya limpio, sin cambios"} {
		if got, want := ics.Shorten(in, 1000), strings.Join(strings.Fields(in), " "); got != want {
			t.Errorf("Shorten(%q) = %q, want %q", in, got, want)
		}
	}
	// Every mix of short pieces: never more than the limit, never a torn
	// cluster, unchanged when it fits.
	pieces := []string{"a", "é", "e\u0301", " ", "  ", "\n", "\t", "🥖", "👨‍👩‍👧", "🇪🇸", "語", "\xff", "palabra", ","}
	for n := 0; n < 300; n++ {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(pieces[(i*i+3*n+i)%len(pieces)])
		}
		in := b.String()
		got := ics.Shorten(in, ics.SummaryTextMax)
		if c := uniseg.GraphemeClusterCount(got); c > ics.SummaryTextMax {
			t.Fatalf("Shorten(%q) has %d clusters", in, c)
		}
		whole := strings.Join(strings.Fields(in), " ")
		if uniseg.GraphemeClusterCount(whole) <= ics.SummaryTextMax {
			if got != whole {
				t.Fatalf("Shorten(%q) = %q, want it whole", in, got)
			}
		} else if !strings.HasSuffix(got, "…") || !strings.HasPrefix(whole, strings.TrimSuffix(got, "…")) {
			t.Fatalf("Shorten(%q) = %q: not a prefix of the text plus …", in, got)
		} else if !clusterBoundary(whole, len(got)-len("…")) {
			t.Fatalf("Shorten(%q) = %q tears a grapheme cluster", in, got)
		}
	}
	if got := ics.Summary("Panadería Sol", []backend.Network{backend.Instagram, backend.Facebook}, "Nuevo pan de masa madre"); got != "[Panadería Sol] IG·FB — Nuevo pan de masa madre" {
		t.Errorf("Summary = %q", got)
	}
	for _, n := range backend.Networks {
		if a := ics.Abbrev(n); len(a) < 1 || len(a) > 2 || a != strings.ToUpper(a) {
			t.Errorf("Abbrev(%s) = %q", n, a)
		}
	}
}

func TestFilters(t *testing.T) {
	d := fixture(t)
	d.Clients = d.Clients[:1]
	uids := func(o ics.Options) string {
		out, _ := export(t, exporter(), d, o)
		var ids []string
		for _, c := range decode(t, out).Children {
			if c.Name == ical.CompEvent {
				uid, _ := c.Props.Text(ical.PropUID)
				ids = append(ids, strings.Split(uid, "-")[1])
			}
		}
		return strings.Join(ids, ",")
	}
	if got := uids(ics.Options{}); got != "1,2,4" {
		t.Errorf("default: posts %s, want 1,2,4 (no drafts, no ideas)", got)
	}
	if got := uids(ics.Options{IncludeDrafts: true}); got != "1,2,3,4" {
		t.Errorf("with drafts: posts %s", got)
	}
	// Days are inclusive and read in the post's zone: 2026-03-30 09:00 in
	// Madrid is 07:00 UTC, so --to 2026-03-30 keeps it and --from 2026-03-31
	// drops it.
	if got := uids(ics.Options{From: "2026-03-28", To: "2026-03-30"}); got != "2" {
		t.Errorf("28–30 March: posts %s, want 2", got)
	}
	if got := uids(ics.Options{From: "2026-03-31", To: "2026-10-25"}); got != "" {
		t.Errorf("31 March–25 October: posts %s, want none", got)
	}
	late := d
	late.Posts = append([]backend.Post(nil), d.Posts...)
	late.Posts[0].ScheduledAt = local(t, "Europe/Madrid", "2026-03-27 23:30") // 22:30 UTC
	late.Posts[1].ScheduledAt = local(t, "Europe/Madrid", "2026-03-28 00:30") // 23:30 UTC on the 27th
	d = late
	if got := uids(ics.Options{To: "2026-03-27"}); got != "1" {
		t.Errorf("--to 2026-03-27 around local midnight: posts %s, want 1", got)
	}

	for _, tc := range []struct {
		o   ics.Options
		key string
	}{
		{ics.Options{From: "2026-04-01", To: "2026-03-01"}, "ics.range_inverted"},
		{ics.Options{From: "1 April"}, "ics.date_invalid"},
		{ics.Options{To: "2026-02-30"}, "ics.date_invalid"},
		{ics.Options{Duration: -time.Minute}, "ics.duration_invalid"},
		{ics.Options{Duration: 25 * time.Hour}, "ics.duration_invalid"},
	} {
		var b bytes.Buffer
		_, err := exporter().Write(&b, d, tc.o)
		if e := backend.AsError(err); e == nil || e.Key != tc.key || e.Code != backend.EInvalid {
			t.Errorf("%+v: got %v, want %s", tc.o, err, tc.key)
		}
		if b.Len() != 0 {
			t.Errorf("%+v: wrote %d bytes despite the error", tc.o, b.Len())
		}
	}
}

func TestEmptyCalendarIsValid(t *testing.T) {
	for _, d := range []ics.Data{
		{Clients: []backend.Client{{ID: 1, Name: "Nuevo", TimeZone: "America/Mexico_City"}}},
		{}, // no clients at all: UTC
	} {
		out, n := export(t, exporter(), d, ics.Options{})
		cal := decode(t, out)
		if n != 0 || len(cal.Children) != 1 || cal.Children[0].Name != ical.CompTimezone {
			t.Errorf("empty export: %d events, children %v\n%s", n, cal.Children, out)
		}
	}
}

// TestTextCleaning: control characters a paste can carry are dropped, CR
// and CRLF become newlines and invalid UTF-8 is replaced, so the file stays
// valid and every reader sees the same text.
func TestTextCleaning(t *testing.T) {
	d := fixture(t)
	d.Clients = d.Clients[:1]
	d.Posts = d.Posts[:1]
	d.Posts[0].Variants = nil
	d.Posts[0].Labels = []string{"tab\there", "semi;colon"}
	d.Posts[0].BaseText = "a\x00b\x01c\rd\r\ne\x7ff\xff\xfeg\th"
	out, _ := export(t, exporter(), d, ics.Options{})
	e := events(t, decode(t, out))["post-1-0123abcd@pauta.app"]
	if got := text(t, e, ical.PropDescription); !strings.HasSuffix(got, "\n\nabc\nd\nef\uFFFDg\th") {
		t.Errorf("DESCRIPTION %q", got)
	}
	if got := text(t, e, ical.PropSummary); got != "[Panadería Sol] abc d ef\uFFFDg h" {
		t.Errorf("SUMMARY %q", got)
	}
	if cats, _ := e.Props.Get(ical.PropCategories).TextList(); strings.Join(cats, "|") != "Panadería Sol|tab\there|semi;colon" {
		t.Errorf("CATEGORIES %q", cats)
	}
}
