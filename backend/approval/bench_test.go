package approval_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/approval"
)

// benchPackage is a busy month: 60 posts on two networks, one ~thumbnail image each.
func benchPackage(b *testing.B) *approval.Package {
	b.Helper()
	im, err := (&jpegs{}).PackageImage(context.Background(), 1)
	if err != nil {
		b.Fatal(err)
	}
	im.Data = append(im.Data, make([]byte, 30_000)...) // thumbnail-sized payload (decoders ignore the tail)
	loc, _ := time.LoadLocation("Europe/Madrid")
	p := &approval.Package{ID: strings.Repeat("a", 32), WorkspaceID: strings.Repeat("b", 32), Client: backend.Client{ID: 1, Name: "Sol", TimeZone: "Europe/Madrid"},
		Lang: "es", Zone: loc, From: now.In(loc), To: now.Add(30 * 24 * time.Hour).In(loc), Made: now.In(loc)}
	for i := 0; i < 60; i++ {
		at := now.Add(time.Duration(i) * 12 * time.Hour)
		post := backend.Post{ID: int64(i + 1), BaseText: strings.Repeat("Pan recién hecho #pan ", 12), ScheduledAt: &at, ContentHash: strings.Repeat("c", 32)}
		p.Items = append(p.Items, approval.Item{Number: i + 1, Post: post, When: at.In(loc), Images: []approval.Image{im},
			Cards: []approval.Card{{Network: backend.Mastodon, Handle: "@sol@pan.social", Text: post.BaseText}, {Network: backend.Instagram, Handle: "sol", Text: post.BaseText}}})
	}
	return p
}

// go test -bench . ./backend/approval/ — a month's package as HTML and as PDF.
func BenchmarkHTML60Posts(b *testing.B) {
	p := benchPackage(b)
	b.ResetTimer()
	for b.Loop() {
		out, err := approval.HTML(p)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(out)))
	}
}

func BenchmarkPDF60Posts(b *testing.B) {
	p := benchPackage(b)
	b.ResetTimer()
	for b.Loop() {
		out, err := approval.PDF(p)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(out)))
	}
}

func BenchmarkDecodeAnswer60Posts(b *testing.B) {
	a := backend.ApprovalAnswer{PackageID: strings.Repeat("a", 32), WorkspaceID: strings.Repeat("b", 32), ClientID: 1}
	for i := 0; i < 60; i++ {
		a.Decisions = append(a.Decisions, backend.ApprovalDecision{PostID: int64(i + 1), Hash: strings.Repeat("c", 32), Decision: backend.ApprovalChanges, Comment: "Otra foto, por favor"})
	}
	text := approval.EncodeAnswer(a)
	b.ResetTimer()
	for b.Loop() {
		if _, err := approval.DecodeAnswer(text); err != nil {
			b.Fatal(err)
		}
	}
}
