package bluesky_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"pauta/backend"
)

func postViewJSON(uri, text, createdAt string, author map[string]any, reply map[string]any, counts ...int) map[string]any {
	rec := map[string]any{"$type": "app.bsky.feed.post", "text": text, "createdAt": createdAt}
	if reply != nil {
		rec["reply"] = reply
	}
	p := map[string]any{"uri": uri, "cid": "cid-" + uri[len(uri)-4:], "author": author, "record": rec, "indexedAt": createdAt, "labels": []any{}}
	if len(counts) == 4 {
		p["replyCount"], p["repostCount"], p["likeCount"], p["quoteCount"] = counts[0], counts[1], counts[2], counts[3]
	}
	return p
}

func node(post map[string]any, parent map[string]any, replies ...map[string]any) map[string]any {
	n := map[string]any{"$type": "app.bsky.feed.defs#threadViewPost", "post": post}
	if parent != nil {
		n["parent"] = parent
	}
	if replies != nil {
		n["replies"] = replies
	}
	return n
}

func TestThread(t *testing.T) {
	f := newFakeNet(t)
	c, _ := loggedIn(t, f)
	meView := map[string]any{"did": did, "handle": handle}
	root := ourPost("3aaroot")
	ref := func(u string) map[string]any { return map[string]any{"uri": u, "cid": "cid-" + u[len(u)-4:]} }
	asReply := func(parent string) map[string]any { return map[string]any{"root": ref(root), "parent": ref(parent)} }
	// root (ours) ← deleted reply ← the asked post (fan) ← two replies (one
	// blocked), the later reply having its own answer.
	thread := node(
		postViewJSON(fanPost("3asked"), "la pregunta", "2026-03-01T10:02:00Z", fanView(), asReply(fanPost("3gone"))),
		map[string]any{"$type": "app.bsky.feed.defs#notFoundPost", "uri": fanPost("3gone"), "notFound": true},
		node(postViewJSON(ourPost("3ourans"), "nuestra respuesta", "2026-03-01T10:05:00Z", meView, asReply(fanPost("3asked"))), nil,
			node(postViewJSON(fanPost("3thanks"), "gracias", "2026-03-01T10:06:00Z", fanView(), asReply(ourPost("3ourans"))), nil)),
		map[string]any{"$type": "app.bsky.feed.defs#blockedPost", "uri": "at://did:plc:troll/app.bsky.feed.post/3troll", "blocked": true,
			"author": map[string]any{"did": "did:plc:troll", "viewer": map[string]any{"blocking": "at://x"}}},
		node(postViewJSON(fanPost("3early"), "primero", "2026-03-01T10:03:00Z", fanView(), asReply(fanPost("3asked"))), nil),
	)
	// A deleted ancestor ends the chain getPostThread sends: the root comes
	// from getPosts.
	rootGone := false
	f.override["pds:app.bsky.feed.getPosts"] = func(w http.ResponseWriter, r *http.Request) {
		var posts []any
		if r.URL.Query()["uris"][0] == root && !rootGone {
			posts = append(posts, postViewJSON(root, "el anuncio", "2026-03-01T10:00:00Z", meView, nil))
		}
		f.authedJSON(w, r, map[string]any{"posts": posts})
	}
	f.override["pds:app.bsky.feed.getPostThread"] = func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("uri") != fanPost("3asked") {
			xrpcErr(w, 400, "NotFound", "Post not found: "+r.URL.Query().Get("uri"))
			return
		}
		f.authedJSON(w, r, map[string]any{"thread": thread, "threadgate": nil})
	}
	posts, err := c.Thread(context.Background(), me, backend.RemoteRef{URI: fanPost("3asked")})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range posts {
		s := p.Ref.ID + ":" + p.Text
		if p.Deleted {
			s += " (deleted)"
		}
		if p.Blocked {
			s += " (blocked)"
		}
		got = append(got, s)
	}
	want := "3aaroot:el anuncio | 3gone: (deleted) | 3asked:la pregunta | 3troll: (blocked) | 3early:primero | 3ourans:nuestra respuesta | 3thanks:gracias"
	if strings.Join(got, " | ") != want {
		t.Fatalf("thread\n got %s\nwant %s", strings.Join(got, " | "), want)
	}
	if q := f.requests("pds:app.bsky.feed.getPostThread")[0].Query; q != "depth=10&parentHeight=80&uri=at%3A%2F%2Fdid%3Aplc%3Afan456%2Fapp.bsky.feed.post%2F3asked" {
		t.Fatalf("query %s", q)
	}
	if p := posts[5]; p.Author.ID != did || p.Ref.URL != "https://bsky.app/profile/"+handle+"/post/3ourans" || p.ReplyTo.URI != fanPost("3asked") || p.Root.URI != root {
		t.Fatalf("our answer %+v", p)
	}

	rootGone = true
	posts, err = c.Thread(context.Background(), me, backend.RemoteRef{URI: fanPost("3asked")})
	if err != nil || len(posts) != 7 || !posts[0].Deleted || posts[0].Ref.URI != root || posts[1].Ref.ID != "3gone" {
		t.Fatalf("root deleted too: %+v, %v", posts, err)
	}

	// A deleted post, asked by record key (one of ours).
	_, err = c.Thread(context.Background(), me, backend.RemoteRef{ID: "3lbxhkfzywc2s"})
	wantErr(t, err, backend.ENotFound, "bluesky.post_not_found")
	reqs := f.requests("pds:app.bsky.feed.getPostThread")
	if !strings.Contains(reqs[len(reqs)-1].Query, "uri=at%3A%2F%2F"+strings.ReplaceAll(did, ":", "%3A")+"%2Fapp.bsky.feed.post%2F3lbxhkfzywc2s") {
		t.Fatalf("query %s", reqs[len(reqs)-1].Query)
	}
	_, err = c.Thread(context.Background(), me, backend.RemoteRef{})
	wantErr(t, err, backend.EInvalid, "bluesky.post_not_found")
}

func TestPostMetrics(t *testing.T) {
	f := newFakeNet(t)
	c, _ := loggedIn(t, f)
	meView := map[string]any{"did": did, "handle": handle}
	var calls [][]string
	f.override["pds:app.bsky.feed.getPosts"] = func(w http.ResponseWriter, r *http.Request) {
		uris := r.URL.Query()["uris"]
		calls = append(calls, uris)
		if len(uris) > 25 {
			xrpcErr(w, 400, "InvalidRequest", "uris must not have more than 25 elements")
			return
		}
		var posts []map[string]any
		for i, u := range uris {
			if strings.HasSuffix(u, "gone") {
				continue // deleted: the AppView leaves it out
			}
			posts = append(posts, postViewJSON(u, "p", "2026-03-01T10:00:00Z", meView, nil, i, 2*i, 3*i, 1))
		}
		// The AppView does not promise the order.
		for i, j := 0, len(posts)-1; i < j; i, j = i+1, j-1 {
			posts[i], posts[j] = posts[j], posts[i]
		}
		f.authedJSON(w, r, map[string]any{"posts": posts})
	}
	var refs []backend.RemoteRef
	for i := 0; i < 30; i++ {
		refs = append(refs, backend.RemoteRef{ID: fmt.Sprintf("3p%03d", i), URI: ourPost(fmt.Sprintf("3p%03d", i))})
	}
	refs[3].URI = ourPost("3gone")
	refs[4] = backend.RemoteRef{ID: "3lbxhkfzywc2s"} // by record key only
	refs[5] = backend.RemoteRef{ID: "x", URI: "not a uri"}
	got, err := c.PostMetrics(context.Background(), me, refs)
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 2 || len(calls[0]) != 24 || len(calls[1]) != 5 || calls[0][4] != ourPost("3lbxhkfzywc2s") {
		t.Fatalf("calls %d: %v", len(calls), calls)
	}
	if len(got) != 30 {
		t.Fatalf("%d answers", len(got))
	}
	for i, m := range got {
		switch i {
		case 3, 5:
			if !m.Deleted || m.Likes != 0 || m.Ref != refs[i] {
				t.Fatalf("%d: %+v", i, m)
			}
			continue
		case 4:
			if m.Ref.URI != ourPost("3lbxhkfzywc2s") || m.Ref.CID != "cid-wc2s" || m.Deleted {
				t.Fatalf("by record key: %+v", m)
			}
		}
		pos := i // position in its call's uris (ref 5 is not sent)
		if i > 5 {
			pos--
		}
		if i >= 25 {
			pos = i - 25
		}
		if m.Deleted || m.Replies != pos || m.Reposts != 2*pos || m.Likes != 3*pos || m.Quotes != 1 {
			t.Fatalf("%d: %+v", i, m)
		}
	}

	if empty, err := c.PostMetrics(context.Background(), me, nil); err != nil || len(empty) != 0 || len(calls) != 2 {
		t.Fatalf("no refs: %v %v", empty, err)
	}
	f.override["pds:app.bsky.feed.getPosts"] = func(w http.ResponseWriter, r *http.Request) { xrpcErr(w, 502, "", "") }
	_, err = c.PostMetrics(context.Background(), me, refs[:2])
	wantErr(t, err, backend.ETransient, "network.transient")
}

func TestFollowers(t *testing.T) {
	for _, tc := range []struct {
		name      string
		answer    map[string]any
		want      int
		code, key string
	}{
		{"count", map[string]any{"did": did, "handle": handle, "followersCount": 1234, "followsCount": 5}, 1234, "", ""},
		{"zero", map[string]any{"did": did, "handle": handle, "followersCount": 0}, 0, "", ""},
		{"count missing", map[string]any{"did": did, "handle": handle}, 0, backend.ETransient, "bluesky.bad_answer"},
		{"someone else's profile", map[string]any{"did": "did:plc:other", "followersCount": 9}, 0, backend.ETransient, "bluesky.bad_answer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeNet(t)
			c, _ := loggedIn(t, f)
			f.override["pds:app.bsky.actor.getProfile"] = func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Query().Get("actor") != did {
					xrpcErr(w, 400, "InvalidRequest", "Profile not found")
					return
				}
				f.authedJSON(w, r, tc.answer)
			}
			n, err := c.Followers(context.Background(), me)
			if tc.code != "" {
				wantErr(t, err, tc.code, tc.key)
				return
			}
			if err != nil || n != tc.want {
				t.Fatalf("%d, %v", n, err)
			}
		})
	}
}
