package mastodon_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/platform/mastodon"
)

// gts answers the scheduled-statuses endpoints with the given statuses
// (GoToSocial 0.19: 501 on a scheduled create, 404 on the list), media with
// mediaStatus and anything else 404.
func gts(t *testing.T, create, list, mediaStatus int) *mastodon.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/api/v2/media":
			w.WriteHeader(mediaStatus)
			if mediaStatus == 200 {
				w.Write([]byte(`{"id":"01M","type":"image","url":"https://gts.test/1.png"}`))
				return
			}
			w.Write([]byte(`{"error":"Not Found"}`))
		case r.URL.Path == "/api/v1/statuses" && r.Method == "POST":
			w.WriteHeader(create)
			switch create {
			case 501:
				w.Write([]byte(`{"error":"Not Implemented: scheduled statuses are not yet supported"}`))
			case 200:
				w.Write([]byte(`{"id":"01S","scheduled_at":"2026-03-01T12:00:00.000Z","params":{"text":"x"}}`))
			default:
				w.Write([]byte(`{"error":"` + http.StatusText(create) + `"}`))
			}
		case r.URL.Path == "/api/v1/scheduled_statuses":
			if list == 200 {
				w.Write([]byte(`[]`))
				return
			}
			if list == 404 && r.URL.Query().Get("limit") == "40" {
				w.Header().Set("Content-Type", "text/html") // a proxy's page
				w.WriteHeader(404)
				w.Write([]byte(`<html>404</html>`))
				return
			}
			w.WriteHeader(list)
			w.Write([]byte(`{"error":"` + http.StatusText(list) + `"}`))
		default:
			w.WriteHeader(404)
			w.Write([]byte(`{"error":"Not Found"}`))
		}
	}))
	t.Cleanup(srv.Close)
	c, err := mastodon.New(srv.URL, token, srv.Client(), backend.FixedClock{T: now})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestProbeScheduling(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		list    int
		want    bool
		wantErr string
	}{
		{200, true, ""},
		{404, false, ""}, // GoToSocial 0.19
		{405, false, ""},
		{501, false, ""},
		{503, false, backend.ETransient},
		{403, false, backend.EInvalid}, // a token without read:statuses: not an answer about the server
		{401, false, backend.EAuth},
	} {
		ok, err := gts(t, 501, tc.list, 200).ProbeScheduling(ctx)
		if ok != tc.want || backend.ErrorCode(err) != tc.wantErr {
			t.Errorf("list %d: %v, %v; want %v, %q", tc.list, ok, err, tc.want, tc.wantErr)
		}
	}
}

// A scheduled create or a list answered 501, 404 or 405 is
// ENoServerSchedule and certainly not sent; a 404 on the media upload
// before it is not (it says nothing about scheduling).
func TestNoSchedulingAnswers(t *testing.T) {
	ctx := context.Background()
	img := filepath.Join(t.TempDir(), "a.png")
	os.WriteFile(img, []byte("\x89PNG"), 0o600)
	req := backend.PublishRequest{Text: "Ciao", IdempotencyKey: "k1", Media: []backend.MediaFile{{Path: img, MIME: "image/png"}}}
	at := now.Add(2 * time.Hour)
	for _, st := range []int{501, 404, 405} {
		_, err := gts(t, st, 404, 200).ScheduleRemote(ctx, req, at)
		if backend.ErrorCode(err) != backend.ENoServerSchedule || !backend.IsNotSent(err) || backend.AsError(err).Key != "mastodon.no_server_schedule" {
			t.Errorf("create %d: %v (%s)", st, err, backend.ErrorCode(err))
		}
		_, _, err = gts(t, 200, st, 200).ListRemote(ctx, backend.Account{})
		if backend.ErrorCode(err) != backend.ENoServerSchedule {
			t.Errorf("list %d: %v", st, err)
		}
	}
	if _, err := gts(t, 422, 200, 200).ScheduleRemote(ctx, req, at); backend.ErrorCode(err) != backend.EInvalid {
		t.Errorf("422: %v", err)
	}
	if _, err := gts(t, 503, 200, 200).ScheduleRemote(ctx, req, at); backend.ErrorCode(err) != backend.ETransient || backend.IsNotSent(err) {
		t.Errorf("503 may have created it: %v", err)
	}
	if _, err := gts(t, 200, 200, 404).ScheduleRemote(ctx, req, at); backend.ErrorCode(err) == backend.ENoServerSchedule {
		t.Errorf("a media 404 is not a missing feature: %v", err)
	}
	if ss, err := gts(t, 200, 200, 200).ScheduleRemote(ctx, req, at); err != nil || ss.ID != "01S" {
		t.Errorf("0.20: %+v %v", ss, err)
	}
}
