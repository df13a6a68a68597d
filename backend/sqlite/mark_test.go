package sqlite_test

import (
	"reflect"
	"testing"
	"time"

	"pauta/backend"
)

// A variant's and a comment's remote mark and uploaded images (migration
// 0010) survive the store; no mark reads back as nil, an empty timeline's
// mark (no newest id) as a mark.
func TestRemoteMarkAndUploadsRoundTrip(t *testing.T) {
	f := obSetup(t)
	at := obNow
	p := f.post(backend.StatusScheduled, &at, "hola", f.acc)
	id := p.Variants[0].ID
	if v, _ := f.db.OutboxJob(f.ctx, id); v.Publish.Mark != nil || v.Publish.MediaUploads != nil {
		t.Fatalf("fresh variant: %+v", v.Publish)
	}
	server := time.Date(2026, 11, 24, 8, 0, 5, 0, time.UTC)
	ups := []backend.MediaUpload{{Key: "k1", ID: "m1", At: server}, {Key: "k2", ID: "m2"}}
	for _, mark := range []*backend.RemoteMark{{LastID: "113", ServerTime: server}, {ServerTime: server}, nil} {
		err := f.db.OutboxUpdate(f.ctx, id, func(v *backend.VariantPublish, _ *backend.AccountOutbox) error {
			v.Mark, v.MediaUploads = mark, ups
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		j, _ := f.db.OutboxJob(f.ctx, id)
		if !reflect.DeepEqual(j.Publish.Mark, mark) || !reflect.DeepEqual(j.Publish.MediaUploads, ups) {
			t.Fatalf("stored %+v %+v, read %+v %+v", mark, ups, j.Publish.Mark, j.Publish.MediaUploads)
		}
		err = f.db.CommentUpdate(f.ctx, id, func(c *backend.CommentPublish, _ *backend.AccountOutbox) error {
			c.Mark = mark
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if c, _ := f.db.CommentJob(f.ctx, id); !reflect.DeepEqual(c.Publish.Mark, mark) {
			t.Fatalf("comment mark %+v, want %+v", c.Publish.Mark, mark)
		}
	}
}
