package app

import (
	"net/url"
	"strings"

	"pauta/backend"
)

// webURL accepts only an absolute http: or https: URL with a host: what
// reaches the browser may come from a server or a post, and a file:, smb:
// or another program's scheme would open something else than a web page.
func webURL(raw string) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.User == nil {
		return nil
	}
	return backend.Errorf(backend.EInvalid, "outbox.not_web_url", "only web links (https: or http:) are opened in the browser, not %q", excerpt(raw, 80))
}
