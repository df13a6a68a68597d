package app

import "testing"

// Only web pages reach the browser: a link from a server or a post with
// another scheme is refused with a key the UI can show.
func TestWebURLOpensOnlyHTTPAndHTTPS(t *testing.T) {
	for _, u := range []string{"https://mastodon.social/@sol/1", "http://localhost:8080/x", "  https://bsky.app/profile/sol  ", "HTTPS://X.COM/a"} {
		if err := webURL(u); err != nil {
			t.Errorf("%q refused: %v", u, err)
		}
	}
	for _, u := range []string{
		"file:///etc/passwd", "javascript:alert(1)", "smb://host/share", "mailto:a@b.c", "data:text/html,x",
		"vscode://open", "https:/no-host", "//x.com/a", "/media/view/1", "", "https://user:pw@x.com/",
	} {
		if err := webURL(u); err == nil {
			t.Errorf("%q accepted", u)
		} else {
			wantKey(t, err, "outbox.not_web_url")
		}
	}
}
