package mastodon_test

import (
	"testing"

	"pauta/backend/platform/mastodon"
)

// What Mastodon renders a status's text into, and back: close enough for
// the outbox to recognise a published scheduled status by its text.
func TestPlainTextFromStatusHTML(t *testing.T) {
	cases := []struct{ html, want string }{
		{`<p>Pan &amp; café</p>`, `Pan & café`},
		{`<p>Línea uno<br />línea dos</p><p>Otro párrafo</p>`, "Línea uno\nlínea dos\nOtro párrafo"},
		{`<p>Mira <a href="https://example.com/una/ruta/larga" rel="nofollow noopener" target="_blank"><span class="invisible">https://</span><span class="ellipsis">example.com/una/ruta</span><span class="invisible">/larga</span></a> <a href="https://m.example/tags/pan" class="mention hashtag" rel="tag">#<span>pan</span></a></p>`,
			`Mira https://example.com/una/ruta/larga #pan`},
		{`<p>Hola <span class="h-card"><a href="https://m.example/@ana" class="u-url mention">@<span>ana</span></a></span> 👋</p>`, `Hola @ana 👋`},
	}
	for _, c := range cases {
		if got := mastodon.PlainText(c.html); got != c.want {
			t.Errorf("PlainText(%s) = %q, want %q", c.html, got, c.want)
		}
	}
}
