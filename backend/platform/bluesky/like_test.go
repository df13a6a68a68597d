package bluesky_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/platform/bluesky"
)

// A like is an app.bsky.feed.like record written with putRecord at the
// record key chosen once: a retry writes the same bytes at the same key,
// and a record already there (an earlier attempt) is the like.
func TestLike(t *testing.T) {
	f := newFakeNet(t)
	c, _ := loggedIn(t, f)
	ctx := context.Background()
	subject := &backend.RemoteRef{URI: "at://did:plc:ana/app.bsky.feed.post/3kx", CID: "bafypost", URL: "https://bsky.app/profile/ana/post/3kx"}
	req := backend.PublishRequest{RecordKey: "3lbxhkfzywc4a", CreatedAt: now, Like: subject}
	ref, err := c.Publish(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if ref.URI != "at://"+did+"/app.bsky.feed.like/3lbxhkfzywc4a" || ref.ID != req.RecordKey || ref.URL != subject.URL {
		t.Fatalf("ref %+v", ref)
	}
	again, err := c.Publish(ctx, req)
	if err != nil || again != ref {
		t.Fatalf("retry: %+v %v", again, err)
	}
	puts := f.requests("pds:com.atproto.repo.putRecord")
	if len(puts) != 2 || !bytes.Equal(puts[0].Body, puts[1].Body) || len(f.records) != 1 {
		t.Fatalf("%d puts, %d records", len(puts), len(f.records))
	}
	var pb putBody
	json.Unmarshal(puts[0].Body, &pb)
	var rec bluesky.LikeRecord
	json.Unmarshal(pb.Record, &rec)
	if pb.Collection != bluesky.LikeCollection || pb.Rkey != req.RecordKey || pb.SwapRecord != nil ||
		rec.Type != bluesky.LikeCollection || rec.Subject != (bluesky.StrongRef{URI: subject.URI, CID: subject.CID}) || rec.CreatedAt != "2026-03-01T10:00:00.000Z" {
		t.Fatalf("put %+v record %+v", pb, rec)
	}
	// An earlier attempt left a (different) like at the key: that is the like.
	req2 := req
	req2.CreatedAt = now.Add(2 * time.Second)
	if ref3, err := c.Publish(ctx, req2); err != nil || ref3.URI != ref.URI || len(f.records) != 1 {
		t.Fatalf("InvalidSwap: %+v %v (%d records)", ref3, err, len(f.records))
	}
	// Nothing to like: refused before anything is sent.
	n := len(f.requests("pds:com.atproto.repo.putRecord"))
	_, err = c.Publish(ctx, backend.PublishRequest{RecordKey: "3lbxhkfzywc4b", CreatedAt: now, Like: &backend.RemoteRef{URI: subject.URI}})
	wantErr(t, err, backend.EInvalid, "inbox.like_no_post")
	if !backend.IsNotSent(err) || len(f.requests("pds:com.atproto.repo.putRecord")) != n {
		t.Fatal("a like without a CID was sent")
	}
}
