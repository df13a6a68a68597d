package csvimport

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"pauta/backend"
)

func testInput() Input {
	return Input{
		Client: backend.Client{ID: 1, Name: "Café Luna", TimeZone: "Europe/Madrid", RequiredTags: []string{"#cafe"}, BannedWords: []string{"barato"}},
		Accounts: []backend.Account{
			{ID: 10, ClientID: 1, Network: backend.Instagram, Handle: "cafe_luna"},
			{ID: 11, ClientID: 1, Network: backend.Mastodon, Handle: "@cafe_luna@mastodon.social"},
			{ID: 12, ClientID: 1, Network: backend.Bluesky, Handle: "cafeluna.bsky.social"},
		},
	}
}

var jan2026 = time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)

func planFile(t *testing.T, name string, o Options) *Plan {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	tb, err := Read(data)
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	if o.Now.IsZero() {
		o.Now = jan2026
	}
	p, err := Build(tb, testInput(), o)
	if err != nil {
		t.Fatalf("Build(%s): %v", name, err)
	}
	for _, r := range p.Rows {
		if len(r.Errors) > 0 {
			t.Errorf("%s row %d: errors %+v", name, r.Row, r.Errors)
		}
	}
	return p
}

func utc(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &t
}

func accountIDs(p backend.Post) []int64 {
	out := []int64{}
	for _, v := range p.Variants {
		out = append(out, v.AccountID)
	}
	return out
}

func TestExcelSpanishUTF8(t *testing.T) {
	p := planFile(t, "excel-es-utf8.csv", Options{Order: DayFirst})
	if p.Encoding != "utf-8-bom" || p.Delimiter != ";" || p.Create != 2 {
		t.Fatalf("encoding %s delimiter %q create %d", p.Encoding, p.Delimiter, p.Create)
	}
	r := p.Rows[0]
	if r.Row != 2 || r.Local != "2026-03-25T09:30" || !r.Post.ScheduledAt.Equal(*utc("2026-03-25T08:30:00Z")) {
		t.Errorf("row 2: %d %s %v", r.Row, r.Local, r.Post.ScheduledAt)
	}
	if c, _ := r.Post.CommonComment(); r.Post.BaseText != "¡Nuevo menú de primavera! 🌸\nVen a probarlo" || c != "Reserva en el enlace" {
		t.Errorf("row 2 texts: %q / %q", r.Post.BaseText, c)
	}
	if !reflect.DeepEqual(r.Post.Labels, []string{"primavera", "menú"}) || !reflect.DeepEqual(accountIDs(r.Post), []int64{10}) {
		t.Errorf("row 2 labels %v accounts %v", r.Post.Labels, accountIDs(r.Post))
	}
	// Instagram takes no post without an image: scheduled rows without one come in as drafts.
	if r.Post.Status != backend.StatusDraft || !hasWarning(r, "csv.media_required") {
		t.Errorf("row 2 status %s warnings %+v", r.Post.Status, r.Warnings)
	}
	r = p.Rows[1]
	if r.Post.BaseText != `Texto con "comillas" y ; punto y coma` || !reflect.DeepEqual(accountIDs(r.Post), []int64{10, 11}) {
		t.Errorf("row 3: %q %v", r.Post.BaseText, accountIDs(r.Post))
	}
	if r.Local != "2026-04-01T18:00" { // summer time from 29 March
		t.Errorf("row 3 local %s", r.Local)
	}
}

func TestExcelSpanishWindows1252(t *testing.T) {
	p := planFile(t, "excel-es-ansi.csv", Options{Order: DayFirst})
	if p.Encoding != "windows-1252" || len(p.FileWarnings) != 1 || p.FileWarnings[0].Key != "csv.read_as_1252" {
		t.Fatalf("encoding %s warnings %+v", p.Encoding, p.FileWarnings)
	}
	if got := p.Rows[0].Post.BaseText; got != "Café con leche – 2 €" {
		t.Errorf("text %q", got)
	}
}

func TestExcelItalianUnicodeText(t *testing.T) {
	p := planFile(t, "excel-it-unicode.txt", Options{Order: DayFirst})
	if p.Encoding != "utf-16le" || p.Delimiter != "\t" || p.Create != 2 {
		t.Fatalf("encoding %s delimiter %q create %d", p.Encoding, p.Delimiter, p.Create)
	}
	r := p.Rows[0]
	if r.Post.BaseText != "Buona Pasqua! 🐣\nDa tutto il team" || !reflect.DeepEqual(accountIDs(r.Post), []int64{11}) || r.Local != "2026-04-05T12:00" {
		t.Errorf("row 2: %q %v %s", r.Post.BaseText, accountIDs(r.Post), r.Local)
	}
	if r := p.Rows[1]; r.Local != "2026-04-06T08:05" || r.Post.Variants[0].FirstComment != "Link in bio" {
		t.Errorf("row 3: %s %+v", r.Local, r.Post.Variants)
	}
}

func TestLibreOffice(t *testing.T) {
	p := planFile(t, "libreoffice.csv", Options{})
	if p.Encoding != "utf-8" || p.Delimiter != "," {
		t.Fatalf("encoding %s delimiter %q", p.Encoding, p.Delimiter)
	}
	if r := p.Rows[0]; r.Post.Status != backend.StatusDraft || r.Post.BaseText != "Line one\nline two, with comma" {
		t.Errorf("row 2: %s %q", r.Post.Status, r.Post.BaseText)
	}
	if r := p.Rows[1]; r.Post.Status != backend.StatusDraft || !hasWarning(r, "csv.media_required") || r.Local != "2026-04-11T21:00" || r.Post.BaseText != "Plain text 😀" {
		t.Errorf("row 3: %s %s %q", r.Post.Status, r.Local, r.Post.BaseText)
	}
}

func TestGoogleSheetsVariants(t *testing.T) {
	p := planFile(t, "google-sheets.csv", Options{})
	r := p.Rows[0]
	want := []backend.Variant{{AccountID: 10}, {AccountID: 12, Text: "Short for Bluesky"}}
	if !reflect.DeepEqual(r.Post.Variants, want) {
		t.Errorf("variants %+v", r.Post.Variants)
	}
	// The brand rule (#cafe required) is met; "barato" is not used; only
	// Instagram's image is missing.
	if len(r.Warnings) != 1 || r.Warnings[0].Key != "csv.media_required" {
		t.Errorf("warnings %+v", r.Warnings)
	}
}

func TestWorkbooksRefused(t *testing.T) {
	cases := map[string][]byte{
		"csv.is_xlsx":   append([]byte("PK\x03\x04\x14\x00\x06\x00"), []byte("[Content_Types].xml")...),
		"csv.is_ods":    append([]byte("PK\x03\x04\x14\x00\x00\x08\x00\x00mimetype"), []byte("application/vnd.oasis.opendocument.spreadsheet")...),
		"csv.is_xls":    {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0},
		"csv.binary":    []byte("date,text\n\x00\x00\x00\x01"),
		"csv.empty":     []byte("\xef\xbb\xbf\r\n"),
		"csv.encoding":  append([]byte{0xFF, 0xFE}, 'a', 0, 'b'), // odd length
		"csv.malformed": []byte("date,text\n2026-01-01,\"open quote\n"),
	}
	for key, data := range cases {
		_, err := Read(data)
		if e := backend.AsError(err); e == nil || e.Key != key {
			t.Errorf("%s: got %v", key, err)
		}
	}
}

func TestHeaderNamesFolded(t *testing.T) {
	cols, warns, err := mapHeader([]string{" FECHA ", "Hóra", "Cuentas", "TEXTO", "Primer_Comentario", "Etiquetas", "Imágenes", "Texto alternativo", "Estado", "Zona horaria", "texto-bluesky", "Notas"})
	if err != nil {
		t.Fatal(err)
	}
	for f, i := range map[Field]int{FDate: 0, FTime: 1, FAccount: 2, FText: 3, FFirstComment: 4, FLabels: 5, FMedia: 6, FAlt: 7, FStatus: 8, FTimeZone: 9} {
		if cols.idx[f] != i {
			t.Errorf("%s at %d, want %d", f, cols.idx[f], i)
		}
	}
	if cols.variants[backend.Bluesky] != 10 || len(warns) != 1 || warns[0].Params["column"] != "Notas" {
		t.Errorf("variants %v warnings %+v", cols.variants, warns)
	}
	if _, _, err := mapHeader([]string{"data", "testo"}); backend.AsError(err).Key != "csv.column_missing" {
		t.Errorf("no account column: %v", err)
	}
	if _, _, err := mapHeader([]string{"date", "fecha", "account", "text"}); backend.AsError(err).Key != "csv.column_twice" {
		t.Errorf("date twice: %v", err)
	}
}

func TestDates(t *testing.T) {
	cases := []struct {
		in    string
		order DateOrder
		want  string
		key   string
	}{
		{"2026-03-05", DateAuto, "2026-03-05", ""},
		{"05/03/2026", DayFirst, "2026-03-05", ""},
		{"05/03/2026", MonthFirst, "2026-05-03", ""},
		{"25.03.2026", DateAuto, "2026-03-25", ""},
		{"03/25/2026", DateAuto, "2026-03-25", ""},
		{"05/03/2026", DateAuto, "", "csv.date_ambiguous"},
		{"31/02/2026", DayFirst, "", "csv.date_invalid"},
		{"05/03/26", DayFirst, "", "csv.date_short_year"},
		{"tomorrow", DayFirst, "", "csv.date_invalid"},
	}
	for _, c := range cases {
		got, is := parseDate(c.in, c.order)
		key := ""
		if is != nil {
			key = is.Key
		}
		if got != c.want || key != c.key {
			t.Errorf("parseDate(%q, %q) = %q %q, want %q %q", c.in, c.order, got, key, c.want, c.key)
		}
	}
	for in, want := range map[string]string{"9:30": "09:30", "09:30:00": "09:30", "23:59": "23:59", "24:00": "", "9.30": "", "9:30 PM": ""} {
		got, _ := parseClock(in)
		if got != want {
			t.Errorf("parseClock(%q) = %q, want %q", in, got, want)
		}
	}
}

func buildString(t *testing.T, csv string, in Input, o Options) *Plan {
	t.Helper()
	tb, err := Read([]byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	if o.Now.IsZero() {
		o.Now = jan2026
	}
	p, err := Build(tb, in, o)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRowRules(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "photo.jpg"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	in := testInput()
	in.Accounts = append(in.Accounts, backend.Account{ID: 13, ClientID: 1, Network: backend.X, Handle: "luna_x"},
		backend.Account{ID: 14, ClientID: 1, Network: backend.X, Handle: "luna_x2"})
	csv := "date,time,account,text,media,alt,timezone,status\n" +
		"2026-03-29,02:30,instagram,#cafe spring,photo.jpg,A cup,,\n" + // 2: DST gap → 03:00, warning
		"2026-03-01,10:00,x,#cafe hi,,,,\n" + // 3: two X accounts
		"2026-03-01,10:00,facebook,#cafe hi,,,,\n" + // 4: no facebook account
		"2026-03-01,10:00,nobody,#cafe hi,,,,\n" + // 5: unknown
		"2026-03-01,10:00,instagram,#cafe hi,https://example.com/a.jpg,,,\n" + // 6: URL
		"2026-03-01,10:00,instagram,#cafe hi,missing.jpg,,,\n" + // 7: missing file
		"2025-12-01,10:00,instagram,#cafe old,,,,\n" + // 8: past → draft
		"2026-03-01,10:00,bluesky," + strings.Repeat("é", 301) + " #cafe,,,,\n" + // 9: over limit → draft
		"2026-03-01,10:00,instagram,#cafe hi,,,Mars/Base,\n" + // 10: bad zone
		"2026-03-01,10:00,instagram,#cafe barato,,,America/New_York,\n" + // 11: NY zone, banned word
		",,instagram,#cafe an idea,,,,\n" + // 12: no date: idea
		"2026-03-01,,instagram,#cafe,,,,\n" + // 13: no time
		"2026-03-01,10:00,instagram,,,,,\n" + // 14: no text
		"2026-03-01,10:00,instagram,#cafe hi,,,,sent\n" // 15: bad status
	p := buildString(t, csv, in, Options{Dir: dir})
	if len(p.Rows) != 14 || p.Create != 5 || p.Rejected != 9 {
		t.Fatalf("%d rows, %d create, %d rejected", len(p.Rows), p.Create, p.Rejected)
	}
	type want struct {
		outcome string
		status  backend.PostStatus
		keys    string // errors, then warnings
	}
	wants := map[int]want{
		2:  {OutCreate, backend.StatusScheduled, "|csv.time_shifted"},
		3:  {OutError, "", "csv.account_ambiguous|"},
		4:  {OutError, "", "csv.account_no_network|"},
		5:  {OutError, "", "csv.account_unknown|"},
		6:  {OutError, "", "csv.media_url|"},
		7:  {OutError, "", "csv.media_missing|"},
		8:  {OutCreate, backend.StatusDraft, "|csv.past_as_draft"},
		9:  {OutCreate, backend.StatusDraft, "|csv.over_limit,csv.over_limit_as_draft"},
		10: {OutError, "", "csv.timezone_invalid|"},
		11: {OutCreate, backend.StatusDraft, "|guidelines.banned,csv.media_required"}, // Instagram without an image: a draft
		12: {OutCreate, backend.StatusIdea, "|"},
		13: {OutError, "", "csv.time_required|"},
		14: {OutError, "", "csv.text_required|"},
		15: {OutError, "", "csv.status_invalid|"},
	}
	for _, r := range p.Rows {
		w := wants[r.Row]
		var e, ws []string
		for _, i := range r.Errors {
			e = append(e, i.Key)
		}
		for _, i := range r.Warnings {
			ws = append(ws, i.Key)
		}
		keys := strings.Join(e, ",") + "|" + strings.Join(ws, ",")
		if r.Outcome != w.outcome || keys != w.keys || (w.status != "" && r.Post.Status != w.status) {
			t.Errorf("row %d: %s %s %q, want %s %s %q", r.Row, r.Outcome, r.Post.Status, keys, w.outcome, w.status, w.keys)
		}
	}
	if r := p.Rows[0]; r.Local != "2026-03-29T03:00" || len(r.Media) != 1 || r.Media[0].Alt != "A cup" || r.Media[0].Path != filepath.Join(dir, "photo.jpg") {
		t.Errorf("row 2: %s %+v", r.Local, r.Media)
	}
	if r := p.Rows[9]; !r.Post.ScheduledAt.Equal(*utc("2026-03-01T15:00:00Z")) || r.Local != "2026-03-01T16:00" {
		t.Errorf("row 11: %v %s", r.Post.ScheduledAt, r.Local)
	}
	if r := p.Rows[1]; r.Errors[0].Column != "account" || r.Errors[0].Params["network"] != "x" {
		t.Errorf("row 3 issue %+v", r.Errors[0])
	}
}

func TestDuplicatesSkipped(t *testing.T) {
	in := testInput()
	at := utc("2026-03-01T09:00:00Z")
	in.Existing = []backend.Post{{ID: 1, ClientID: 1, BaseText: "Hello #cafe", ScheduledAt: at, Variants: []backend.Variant{{AccountID: 10}}}}
	csv := "date,time,account,text\n" +
		"2026-03-01,10:00,instagram,Hello #cafe\n" + // same as the existing post
		"2026-03-01,10:00,mastodon,Hello #cafe\n" + // another account: new
		"2026-03-01,10:00,mastodon,Hello #cafe\n" + // same as the row before
		"2026-03-01,10:05,instagram,Hello #cafe\n" // another time: new
	p := buildString(t, csv, in, Options{})
	got := []string{}
	for _, r := range p.Rows {
		got = append(got, r.Outcome)
	}
	if !reflect.DeepEqual(got, []string{OutDuplicate, OutCreate, OutDuplicate, OutCreate}) || p.Duplicates != 2 || p.Create != 2 {
		t.Errorf("outcomes %v (%d dup, %d create)", got, p.Duplicates, p.Create)
	}
}

func hasWarning(r Row, key string) bool {
	for _, w := range r.Warnings {
		if w.Key == key {
			return true
		}
	}
	return false
}
