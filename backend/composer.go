package backend

import "net/url"

// ComposerURL is the web page where the user publishes a manual network's
// post by hand: the documented intent URL with the text filled in where the
// network has one (X, Threads, Bluesky), otherwise the site's page for a new
// post. "" for a network without a web composer (Mastodon: the instance is
// per account).
func ComposerURL(n Network, text string) string {
	q := url.QueryEscape(text)
	switch n {
	case X:
		return "https://x.com/intent/tweet?text=" + q
	case Threads:
		return "https://www.threads.net/intent/post?text=" + q
	case Bluesky:
		return "https://bsky.app/intent/compose?text=" + q
	case Instagram:
		return "https://www.instagram.com/"
	case Facebook:
		return "https://www.facebook.com/"
	case LinkedIn:
		return "https://www.linkedin.com/feed/?shareActive=true"
	case TikTok:
		return "https://www.tiktok.com/upload"
	case Pinterest:
		return "https://www.pinterest.com/pin-builder/"
	case YouTube:
		return "https://studio.youtube.com/"
	case GoogleBusiness:
		return "https://business.google.com/"
	}
	return ""
}
