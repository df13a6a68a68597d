package backend_test

import (
	"testing"
	"time"

	"pauta/backend"
)

func TestResolveLocal(t *testing.T) {
	tests := []struct {
		name, zone, date, clock string
		wantUTC                 string
		wantLocal               string
		shifted                 bool
	}{
		{"madrid winter", "Europe/Madrid", "2026-01-15", "09:30", "2026-01-15T08:30:00Z", "2026-01-15T09:30", false},
		{"madrid summer", "Europe/Madrid", "2026-07-15", "09:30", "2026-07-15T07:30:00Z", "2026-07-15T09:30", false},
		{"madrid before spring-forward", "Europe/Madrid", "2026-03-28", "09:00", "2026-03-28T08:00:00Z", "2026-03-28T09:00", false},
		{"madrid after spring-forward", "Europe/Madrid", "2026-03-29", "09:00", "2026-03-29T07:00:00Z", "2026-03-29T09:00", false},
		{"madrid gap moves to 03:00", "Europe/Madrid", "2026-03-29", "02:30", "2026-03-29T01:00:00Z", "2026-03-29T03:00", true},
		{"madrid gap start", "Europe/Madrid", "2026-03-29", "02:00", "2026-03-29T01:00:00Z", "2026-03-29T03:00", true},
		{"madrid fall-back takes first", "Europe/Madrid", "2026-10-25", "02:30", "2026-10-25T00:30:00Z", "2026-10-25T02:30", false},
		{"rome gap", "Europe/Rome", "2026-03-29", "02:15", "2026-03-29T01:00:00Z", "2026-03-29T03:00", true},
		{"mexico city no dst", "America/Mexico_City", "2026-04-05", "02:30", "2026-04-05T08:30:00Z", "2026-04-05T02:30", false},
		{"new york gap", "America/New_York", "2026-03-08", "02:30", "2026-03-08T07:00:00Z", "2026-03-08T03:00", true},
		{"kathmandu +05:45", "Asia/Kathmandu", "2026-05-01", "00:10", "2026-04-30T18:25:00Z", "2026-05-01T00:10", false},
		{"utc", "UTC", "2026-12-31", "23:59", "2026-12-31T23:59:00Z", "2026-12-31T23:59", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := backend.ResolveLocal(backend.LocalInput{Date: tc.date, Time: tc.clock}, tc.zone)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.UTC.Format(time.RFC3339); got != tc.wantUTC {
				t.Errorf("UTC = %s, want %s", got, tc.wantUTC)
			}
			if r.Local != tc.wantLocal || r.Shifted != tc.shifted {
				t.Errorf("local = %s shifted=%v, want %s shifted=%v", r.Local, r.Shifted, tc.wantLocal, tc.shifted)
			}
			if r.UTC.Location() != time.UTC {
				t.Errorf("UTC result not in UTC: %v", r.UTC.Location())
			}
		})
	}
}

func TestResolveLocalErrors(t *testing.T) {
	for _, tc := range []struct{ date, clock, zone, key string }{
		{"2026-02-30", "09:00", "Europe/Madrid", "post.date_invalid"},
		{"", "09:00", "Europe/Madrid", "post.date_invalid"},
		{"2026-02-10", "25:00", "Europe/Madrid", "post.time_invalid"},
		{"2026-02-10", "09:00", "Mars/Olympus", "client.zone_invalid"},
		{"2026-02-10", "09:00", "", "client.zone_invalid"},
	} {
		_, err := backend.ResolveLocal(backend.LocalInput{Date: tc.date, Time: tc.clock}, tc.zone)
		e := backend.AsError(err)
		if e == nil || e.Code != backend.EInvalid || e.Key != tc.key {
			t.Errorf("%+v: got %v, want invalid/%s", tc, err, tc.key)
		}
	}
}

func TestZoneLabel(t *testing.T) {
	winter := time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)
	summer := time.Date(2026, 7, 10, 12, 0, 0, 0, time.UTC)
	if got := backend.ZoneLabel(winter, "Europe/Madrid"); got != "CET +01:00" {
		t.Errorf("winter label %q", got)
	}
	if got := backend.ZoneLabel(summer, "Europe/Madrid"); got != "CEST +02:00" {
		t.Errorf("summer label %q", got)
	}
	if got := backend.ZoneLabel(summer, "America/Mexico_City"); got != "CST -06:00" {
		t.Errorf("mexico label %q", got)
	}
}
