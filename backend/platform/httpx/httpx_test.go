package httpx_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"pauta/backend/platform/httpx"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		h    http.Header
		want time.Duration
	}{
		{"seconds", http.Header{"Retry-After": {"90"}}, 90 * time.Second},
		{"http date", http.Header{"Retry-After": {now.Add(2 * time.Minute).Format(http.TimeFormat)}}, 2 * time.Minute},
		{"mastodon iso 8601", http.Header{"X-Ratelimit-Reset": {"2026-03-01T10:05:00.000Z"}}, 5 * time.Minute},
		{"mastodon microseconds", http.Header{"X-Ratelimit-Reset": {"2026-03-01T10:00:30.123456Z"}}, 30*time.Second + 123456*time.Microsecond},
		{"bluesky epoch", http.Header{"Ratelimit-Reset": {"1772359800"}}, 10 * time.Minute},
		{"retry-after wins", http.Header{"Retry-After": {"5"}, "Ratelimit-Reset": {"1772359800"}}, 5 * time.Second},
		{"in the past", http.Header{"X-Ratelimit-Reset": {"2026-03-01T09:00:00Z"}}, time.Second},
		{"nothing", http.Header{}, httpx.DefaultRetryAfter},
		{"garbage", http.Header{"Retry-After": {"soon"}}, httpx.DefaultRetryAfter},
	}
	for _, tt := range tests {
		if got := httpx.RetryAfter(tt.h, now); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestBaseURL(t *testing.T) {
	tests := []struct {
		in, want string
		err      error
	}{
		{"example.social", "https://example.social", nil},
		{"HTTPS://Example.Social/path?q", "https://example.social", nil},
		{"http://[::1]:8080", "http://[::1]:8080", nil},
		{"http://127.0.0.2", "http://127.0.0.2", nil},
		{"http://example.social", "", httpx.ErrNotHTTPS},
		{"http://localhost.evil.com", "", httpx.ErrNotHTTPS},
		{"javascript:alert(1)", "", httpx.ErrBadURL},
		{"https://", "", httpx.ErrBadURL},
	}
	for _, tt := range tests {
		u, err := httpx.BaseURL(tt.in)
		if !errors.Is(err, tt.err) || (err == nil && u.String() != tt.want) {
			t.Errorf("%q: %v %v", tt.in, u, err)
		}
	}
}

func TestScrub(t *testing.T) {
	if got := httpx.Scrub("bad Bearer tok-123456 here", "tok-123456", ""); got != "bad Bearer [redacted] here" {
		t.Fatal(got)
	}
}
