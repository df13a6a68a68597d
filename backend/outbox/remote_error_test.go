package outbox

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"pauta/backend"
)

// The outbox view says why the instance refused a server-side schedule: a
// pending variant the instance answered 422 to carries the reason (and is
// published from here at its time); a variant the instance took carries none.
func TestRemoteRefusalShownOnOutboxItem(t *testing.T) {
	e := newRemoteEnv(t)
	o := e.newOutbox()
	due := t0.Add(2 * time.Hour)
	_, refused := e.post(due, "Demasiados programados", e.acc)
	_, taken := e.post(due.Add(time.Hour), "Este sí", e.acc)
	e.fake.setRefuse(func(r *http.Request) (int, string) {
		if r.Method == "POST" && r.URL.Path == "/api/v1/statuses" && strings.Contains(r.FormValue("status"), "Demasiados") && r.FormValue("scheduled_at") != "" {
			return 422, `{"error":"Validation failed: Text too many scheduled statuses"}`
		}
		return 0, ""
	})
	e.sync(o)
	e.wantScheduled("Este sí")

	items := func() map[int64]backend.OutboxItem {
		t.Helper()
		list, err := e.db.OutboxItems(e.ctx, backend.OutboxFilter{})
		if err != nil {
			t.Fatal(err)
		}
		out := map[int64]backend.OutboxItem{}
		for _, it := range list {
			out[it.VariantID] = it
		}
		return out
	}
	got := items()
	r, ok := got[refused[0]]
	if !ok || r.State != backend.OutboxPending || r.RemoteScheduled || r.RemoteErrorCode != backend.EInvalid ||
		r.RemoteErrorKey != "network.rejected" || !strings.Contains(r.RemoteError, "too many scheduled statuses") {
		t.Fatalf("refused item %+v", r)
	}
	if r.ErrorKey != "" || r.Error != "" {
		t.Errorf("the variant itself has not failed: %+v", r)
	}
	k := got[taken[0]]
	if !k.RemoteScheduled || k.RemoteErrorKey != "" || k.RemoteError != "" || k.RemoteErrorCode != "" {
		t.Errorf("scheduled item %+v", k)
	}

	// Published from here at its time: the refusal no longer shows.
	e.clock.Set(due)
	e.runOnce(o)
	e.wantState(refused[0], backend.OutboxPublished)
	list, err := e.db.OutboxItems(e.ctx, backend.OutboxFilter{States: []backend.OutboxState{backend.OutboxPublished}})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].VariantID != refused[0] || list[0].RemoteError != "" || list[0].RemoteErrorKey != "" {
		t.Errorf("published items %+v", list)
	}
}
