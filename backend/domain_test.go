package backend_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"pauta/backend"
)

func TestClientNormalize(t *testing.T) {
	ok := backend.Client{Name: "  Panadería Sol ", Color: "#E8833A", TimeZone: "Europe/Madrid", Language: "es"}
	if err := ok.Normalize(); err != nil {
		t.Fatal(err)
	}
	if ok.Name != "Panadería Sol" || ok.Color != "#e8833a" {
		t.Errorf("not normalised: %+v", ok)
	}
	bad := []struct {
		c   backend.Client
		key string
	}{
		{backend.Client{Name: "  ", TimeZone: "Europe/Madrid"}, "client.name_required"},
		{backend.Client{Name: "A", TimeZone: "Europe/Madird"}, "client.zone_invalid"},
		{backend.Client{Name: "A", TimeZone: ""}, "client.zone_invalid"},
		{backend.Client{Name: "A", TimeZone: "Local"}, "client.zone_invalid"},
		{backend.Client{Name: "A", TimeZone: "UTC", Color: "red"}, "client.color_invalid"},
		{backend.Client{Name: "A", TimeZone: "UTC", Language: "español!"}, "client.language_invalid"},
		{backend.Client{Name: "A\x00B", TimeZone: "UTC"}, "text.nul"},
		{backend.Client{Name: "A\xffB", TimeZone: "UTC"}, "text.invalid_utf8"},
		{backend.Client{Name: strings.Repeat("x", 121), TimeZone: "UTC"}, "client.name_too_long"},
	}
	for _, tc := range bad {
		err := tc.c.Normalize()
		e := backend.AsError(err)
		if e == nil || e.Code != backend.EInvalid || e.Key != tc.key {
			t.Errorf("%q: got %v, want %s", tc.c.Name, err, tc.key)
		}
	}
}

func TestPostNormalize(t *testing.T) {
	at := time.Date(2026, 11, 24, 9, 30, 15, 500, time.FixedZone("x", 3600))
	p := backend.Post{Status: backend.StatusScheduled, TimeZone: "Europe/Madrid", ScheduledAt: &at,
		Variants: []backend.Variant{{AccountID: 1}}, Labels: []string{" a ", "A", "", "b"}}
	if err := p.Normalize(); err != nil {
		t.Fatal(err)
	}
	if p.ScheduledAt.Location() != time.UTC || p.ScheduledAt.Nanosecond() != 0 {
		t.Errorf("time not UTC seconds: %v", p.ScheduledAt)
	}
	if fmt.Sprint(p.Labels) != "[a b]" {
		t.Errorf("labels %v", p.Labels)
	}
	noAccount := backend.Post{Status: backend.StatusScheduled, TimeZone: "UTC", ScheduledAt: &at}
	if e := backend.AsError(noAccount.Normalize()); e == nil || e.Key != "post.account_required" || e.Field != "accounts" {
		t.Errorf("scheduled with no account: %v", e)
	}
	draftNoAccount := backend.Post{Status: backend.StatusDraft, TimeZone: "UTC", ScheduledAt: &at}
	if err := draftNoAccount.Normalize(); err != nil {
		t.Errorf("a draft may have no account yet: %v", err)
	}
	noTime := backend.Post{Status: backend.StatusDraft, TimeZone: "UTC"}
	if e := backend.AsError(noTime.Normalize()); e == nil || e.Key != "post.time_required" {
		t.Errorf("draft with no time: %v", e)
	}
	idea := backend.Post{Status: backend.StatusIdea, TimeZone: "UTC", ScheduledAt: &at}
	if err := idea.Normalize(); err != nil || idea.ScheduledAt != nil {
		t.Errorf("idea keeps no time: %v %v", err, idea.ScheduledAt)
	}
	nul := backend.Post{Status: backend.StatusIdea, TimeZone: "UTC", BaseText: "hola\x00"}
	if e := backend.AsError(nul.Normalize()); e == nil || e.Key != "text.nul" {
		t.Errorf("NUL: %v", e)
	}
	huge := backend.Post{Status: backend.StatusIdea, TimeZone: "UTC", BaseText: strings.Repeat("é", backend.MaxPostTextLen)}
	if e := backend.AsError(huge.Normalize()); e == nil || e.Key != "post.text_too_long" {
		t.Errorf("1 MB paste: %v", e)
	}
	dup := backend.Post{Status: backend.StatusDraft, TimeZone: "UTC", ScheduledAt: &at, Variants: []backend.Variant{{AccountID: 1}, {AccountID: 1}}}
	if e := backend.AsError(dup.Normalize()); e == nil || e.Key != "post.account_duplicate" {
		t.Errorf("duplicate account: %v", e)
	}
}

func TestErrorCode(t *testing.T) {
	e := backend.Errorf(backend.EConflict, "k", "boom")
	wrapped := fmt.Errorf("saving: %w", e)
	if backend.ErrorCode(wrapped) != backend.EConflict {
		t.Errorf("code through wrap = %s", backend.ErrorCode(wrapped))
	}
	if backend.ErrorCode(errors.New("disk on fire")) != backend.EInternal {
		t.Error("unknown errors must be internal")
	}
	if backend.ErrorCode(nil) != "" || backend.AsError(nil) != nil {
		t.Error("nil error")
	}
	if got := backend.AsError(errors.New("x")); got.Key != "internal" {
		t.Errorf("internal key %q", got.Key)
	}
}

func TestVariantEffectiveText(t *testing.T) {
	p := &backend.Post{BaseText: "base"}
	if (backend.Variant{}).EffectiveText(p) != "base" || (backend.Variant{Text: "own"}).EffectiveText(p) != "own" {
		t.Error("fallback to base text")
	}
}
