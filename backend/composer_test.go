package backend

import (
	"net/url"
	"strings"
	"testing"
)

func TestComposerURL(t *testing.T) {
	text := "Pan & café #sol ¿mañana? 100% https://sol.es/a?b=c"
	for _, tc := range []struct {
		n      Network
		prefix string
		param  string
	}{
		{X, "https://x.com/intent/tweet?", "text"},
		{Threads, "https://www.threads.net/intent/post?", "text"},
		{Bluesky, "https://bsky.app/intent/compose?", "text"},
	} {
		got := ComposerURL(tc.n, text)
		if !strings.HasPrefix(got, tc.prefix) {
			t.Errorf("%s: %q", tc.n, got)
			continue
		}
		u, err := url.Parse(got)
		if err != nil || u.Query().Get(tc.param) != text {
			t.Errorf("%s: text not carried intact: %q (%v)", tc.n, u.Query().Get(tc.param), err)
		}
	}
	for _, n := range []Network{Instagram, Facebook, LinkedIn, TikTok, Pinterest, YouTube, GoogleBusiness} {
		got := ComposerURL(n, text)
		u, err := url.Parse(got)
		if err != nil || u.Scheme != "https" || u.Host == "" || strings.Contains(got, "sol.es") {
			t.Errorf("%s: %q", n, got)
		}
	}
	if ComposerURL(Mastodon, text) != "" {
		t.Error("mastodon has no single web composer")
	}
}
