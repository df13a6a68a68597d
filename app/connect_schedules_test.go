package app

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"pauta/backend"
)

// A server that answers the scheduled-statuses list like GoToSocial 0.19
// (404), like 0.20 / Mastodon (200) or not at all (503).
func fakeInstanceWithSchedules(t *testing.T, list *atomic.Int32) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v2/instance":
			w.Write([]byte(`{"domain":"gts.test","title":"GTS","version":"0.19.2","configuration":{"statuses":{"max_characters":5000,"max_media_attachments":6,"characters_reserved_per_url":25},"media_attachments":{"image_size_limit":41943040,"image_matrix_limit":16777216,"supported_mime_types":["image/jpeg","image/png"],"description_limit":1500}}}`))
		case "/api/v1/accounts/verify_credentials":
			w.Write([]byte(`{"id":"01J","username":"forno","acct":"forno","display_name":"Forno","url":"https://gts.test/@forno"}`))
		case "/api/v1/scheduled_statuses":
			switch st := int(list.Load()); st {
			case 200:
				w.Write([]byte(`[]`))
			default:
				w.WriteHeader(st)
				w.Write([]byte(`{"error":"` + http.StatusText(st) + `"}`))
			}
		default:
			w.WriteHeader(404)
			w.Write([]byte(`{"error":"Not Found"}`))
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// Connect and reconnect ask whether the server holds scheduled posts, and
// the account the UI receives (and the workspace) says so.
func TestConnectMastodonProbesServerSchedules(t *testing.T) {
	a, _, _ := connectApp(t)
	var list atomic.Int32
	list.Store(404) // GoToSocial 0.19
	srv := fakeInstanceWithSchedules(t, &list)
	c, _ := a.Clients.Save(ClientInput{Name: "Forno Brera", TimeZone: "Europe/Rome", Language: "it"})

	acc, err := a.Connect.ConnectMastodon(MastodonInput{ClientID: c.ID, InstanceURL: srv.URL, Token: mastoToken})
	if err != nil {
		t.Fatal(err)
	}
	if acc.ServerSchedules != backend.ServerSchedulesNo || acc.SchedulesProbedAt == nil || !acc.SchedulesProbedAt.Equal(testNow.UTC().Truncate(1e9)) {
		t.Fatalf("0.19: %q at %v", acc.ServerSchedules, acc.SchedulesProbedAt)
	}
	if got := accountsOf(t, a)[0]; got.ServerSchedules != backend.ServerSchedulesNo {
		t.Fatalf("workspace account %+v", got)
	}

	// Upgraded to 0.20: a reconnect learns it.
	list.Store(200)
	acc, err = a.Connect.ConnectMastodon(MastodonInput{ClientID: c.ID, AccountID: acc.ID, InstanceURL: srv.URL, Token: mastoToken})
	if err != nil {
		t.Fatal(err)
	}
	if acc.ServerSchedules != backend.ServerSchedulesYes || accountsOf(t, a)[0].ServerSchedules != backend.ServerSchedulesYes {
		t.Fatalf("0.20: %+v", acc)
	}

	// The question fails (the server is struggling): unknown, asked again
	// by the outbox before anything is handed over; the connection works.
	list.Store(503)
	acc, err = a.Connect.ConnectMastodon(MastodonInput{ClientID: c.ID, AccountID: acc.ID, InstanceURL: srv.URL, Token: mastoToken})
	if err != nil {
		t.Fatal(err)
	}
	if acc.ServerSchedules != backend.ServerSchedulesUnknown || acc.SchedulesProbedAt != nil || acc.Connection != backend.ConnConnected {
		t.Fatalf("503: %+v", acc)
	}

	// 405 and 501 say "no" as well.
	for _, st := range []int32{405, 501} {
		list.Store(st)
		acc, err = a.Connect.ConnectMastodon(MastodonInput{ClientID: c.ID, AccountID: acc.ID, InstanceURL: srv.URL, Token: mastoToken})
		if err != nil || acc.ServerSchedules != backend.ServerSchedulesNo {
			t.Fatalf("%d: %+v %v", st, acc, err)
		}
	}
}
