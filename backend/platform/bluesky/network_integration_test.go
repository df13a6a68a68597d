package bluesky_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"pauta/backend"
	"pauta/backend/platform/bluesky"
)

// The tests below run against a real Bluesky network — PLC directory, PDS
// and the bsky AppView — started by scripts/bsky-test.sh
// (scripts/local-bsky), which sets PAUTA_PDS_URL (the PDS, through which
// Pauta reads app.bsky.*) and PAUTA_BSKY_CONTROL (the network's control
// channel: other people's accounts and actions, and processAll so the
// AppView has indexed everything before Pauta reads).

// network is the control channel of the running test network.
type network struct {
	t       *testing.T
	control string
	pds     string
	hc      *http.Client
}

func realNetwork(t *testing.T) *network {
	t.Helper()
	pds, control := os.Getenv("PAUTA_PDS_URL"), os.Getenv("PAUTA_BSKY_CONTROL")
	if pds == "" || control == "" {
		t.Skip("PAUTA_PDS_URL and PAUTA_BSKY_CONTROL are not set: run scripts/bsky-test.sh")
	}
	return &network{t: t, control: control, pds: pds, hc: &http.Client{Timeout: 60 * time.Second}}
}

func (n *network) call(path string, in, out any) {
	n.t.Helper()
	b, _ := json.Marshal(in)
	resp, err := n.hc.Post(n.control+path, "application/json", bytes.NewReader(b))
	if err != nil {
		n.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		n.t.Fatalf("control %s %s: %d %s", path, b, resp.StatusCode, body)
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			n.t.Fatalf("control %s: %v", path, err)
		}
	}
}

type person struct {
	DID, Handle, AppPassword string
}

func (n *network) account(prefix string) person {
	var suffix [4]byte
	rand.Read(suffix[:])
	var p person
	n.call("/account", map[string]string{"handle": prefix + hex.EncodeToString(suffix[:]) + ".test"}, &p)
	if p.DID == "" || p.AppPassword == "" {
		n.t.Fatalf("account %+v", p)
	}
	return p
}

// act makes p do something on the network (post, reply, quote, like,
// repost, follow, delete) and returns the record written.
func (n *network) act(p person, action string, args map[string]any) bluesky.StrongRef {
	n.t.Helper()
	in := map[string]any{"as": p.Handle, "action": action}
	for k, v := range args {
		in[k] = v
	}
	var out bluesky.StrongRef
	n.call("/act", in, &out)
	return out
}

// process lets the AppView index everything written so far.
func (n *network) process() { n.t.Helper(); n.call("/process", nil, nil) }

func strong(r backend.RemoteRef) map[string]string {
	return map[string]string{"uri": r.URI, "cid": r.CID}
}

// pauta connects a fresh account with Pauta's client, as the app does.
func (n *network) pauta(hc *http.Client) (*bluesky.Client, person, *memStore, backend.Account) {
	n.t.Helper()
	me := n.account("pauta")
	store := &memStore{}
	c, err := bluesky.New(n.pds, hc, backend.SystemClock{}, store)
	if err != nil {
		n.t.Fatal(err)
	}
	if _, err := c.Login(context.Background(), me.Handle, me.AppPassword); err != nil {
		n.t.Fatal(err)
	}
	return c, me, store, backend.Account{ID: 7, Network: backend.Bluesky, Handle: me.Handle, RemoteID: me.DID}
}

func publish(t *testing.T, c *bluesky.Client, text string, replyTo, root *backend.RemoteRef) backend.RemoteRef {
	t.Helper()
	ref, err := c.Publish(context.Background(), publishReq(text, replyTo, root))
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func publishReq(text string, replyTo, root *backend.RemoteRef) backend.PublishRequest {
	return backend.PublishRequest{Text: text, Language: "es", RecordKey: bluesky.NewTID(backend.SystemClock{}), CreatedAt: time.Now(), ReplyTo: replyTo, Root: root}
}

func kinds(items []backend.Notification) string {
	var k []string
	for _, it := range items {
		k = append(k, string(it.Kind))
	}
	return strings.Join(k, ",")
}

// TestBskyNetworkInbox: a second person mentions Pauta's account and
// replies to a post Pauta published (two posts: the AppView sends one
// notification per post), then likes and reposts it and follows the
// account and quotes the post. Pauta's fetchers see each with the right kind, author, text and
// the post it is about; the figures and the follower count follow; the
// thread reads back; the read marker moves.
func TestBskyNetworkInbox(t *testing.T) {
	n := realNetwork(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	c, me, store, acct := n.pauta(n.hc)
	fan := n.account("fan")

	post := publish(t, c, "Nuevo horario de la tienda: abrimos a las 9 ☕", nil, nil)
	// The AppView indexes repos in parallel: a reply indexed before its
	// parent makes no notification. People answer posts they have seen.
	n.process()
	mention := n.act(fan, "post", map[string]any{"text": "Pregunta para @" + me.Handle + ": ¿abrís el domingo? Mirad https://example.com/horario-de-verano-2026-con-un-enlace-largo"})
	reply := n.act(fan, "reply", map[string]any{"text": "¡Genial, allí estaré!", "parent": strong(post), "root": strong(post)})
	n.process()

	b, err := c.Notifications(ctx, acct, backend.NotificationQuery{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if kinds(b.Items) != "reply,mention" || b.Mark == "" || b.Older != "" || b.Gap {
		t.Fatalf("first sync: kinds %s mark %q older %q gap %v", kinds(b.Items), b.Mark, b.Older, b.Gap)
	}
	r, m := b.Items[0], b.Items[1]
	if r.RemoteID != reply.URI || r.Author.ID != fan.DID || r.Author.Handle != fan.Handle || r.Subject == nil || r.Subject.Text != "¡Genial, allí estaré!" ||
		r.About == nil || r.About.URI != post.URI || r.About.CID != post.CID || r.About.URL != post.URL ||
		r.Subject.ReplyTo == nil || r.Subject.ReplyTo.URI != post.URI || r.Subject.Root == nil || r.Subject.Root.URI != post.URI || r.Subject.Language != "es" {
		t.Fatalf("reply %+v subject %+v about %+v", r, r.Subject, r.About)
	}
	if m.RemoteID != mention.URI || m.About != nil || m.Subject == nil || m.Subject.Ref.CID != mention.CID ||
		!strings.Contains(m.Subject.Text, "@"+me.Handle) || len(m.Subject.Links) != 1 || m.Subject.Links[0] != "https://example.com/horario-de-verano-2026-con-un-enlace-largo" {
		t.Fatalf("mention %+v subject %+v", m, m.Subject)
	}
	if m.CreatedAt.IsZero() || r.CreatedAt.Before(m.CreatedAt) || time.Since(m.CreatedAt) > 5*time.Minute {
		t.Fatalf("times: reply %s mention %s", r.CreatedAt, m.CreatedAt)
	}

	// Nothing new since the mark.
	none, err := c.Notifications(ctx, acct, backend.NotificationQuery{Since: b.Mark, Limit: 50})
	if err != nil || len(none.Items) != 0 || none.Mark != "" || none.Gap {
		t.Fatalf("nothing new: %+v, %v", none, err)
	}

	thread, err := c.Thread(ctx, acct, post)
	if err != nil {
		t.Fatal(err)
	}
	if len(thread) != 2 || thread[0].Ref.URI != post.URI || thread[0].Author.ID != me.DID || thread[1].Ref.URI != reply.URI || thread[1].Text != "¡Genial, allí estaré!" {
		t.Fatalf("thread %+v", thread)
	}
	fromReply, err := c.Thread(ctx, acct, r.Subject.Ref)
	if err != nil || len(fromReply) != 2 || fromReply[0].Ref.URI != post.URI || fromReply[1].Ref.URI != reply.URI {
		t.Fatalf("thread from the reply: %+v, %v", fromReply, err)
	}

	// Likes, reposts and follows, and the figures they make.
	n.act(fan, "like", map[string]any{"subject": strong(post)})
	n.act(fan, "repost", map[string]any{"subject": strong(post)})
	n.act(fan, "follow", map[string]any{"did": me.DID})
	quote := n.act(fan, "quote", map[string]any{"text": "Mirad el nuevo horario", "subject": strong(post)})
	gone := n.act(fan, "post", map[string]any{"text": "esto lo borro"})
	n.act(fan, "delete", map[string]any{"uri": gone.URI})
	n.process()

	b2, err := c.Notifications(ctx, acct, backend.NotificationQuery{Since: b.Mark, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if kinds(b2.Items) != "quote,follow,boost,like" || b2.Mark == "" || b2.Mark == b.Mark || b2.Gap {
		t.Fatalf("since the mark: kinds %s mark %q gap %v", kinds(b2.Items), b2.Mark, b2.Gap)
	}
	if q := b2.Items[0]; q.RemoteID != quote.URI || q.Subject == nil || q.Subject.Text != "Mirad el nuevo horario" {
		t.Fatalf("quote %+v", q)
	}
	for _, it := range b2.Items {
		if it.Author.ID != fan.DID || (it.Subject != nil) != (it.Kind == backend.KindQuote) {
			t.Fatalf("%s: %+v", it.Kind, it)
		}
		if (it.Kind == backend.KindFollow) != (it.About == nil) || (it.About != nil && (it.About.URI != post.URI || it.About.CID != post.CID)) {
			t.Fatalf("%s about %+v", it.Kind, it.About)
		}
	}

	// A Limit below what is new: a gap, and "load older" fills it.
	capped, err := c.Notifications(ctx, acct, backend.NotificationQuery{Since: b.Mark, Limit: 2})
	if err != nil || kinds(capped.Items) != "quote,follow" || !capped.Gap || capped.Older == "" || capped.Mark != b2.Mark {
		t.Fatalf("capped: %s gap %v older %q mark %q, %v", kinds(capped.Items), capped.Gap, capped.Older, capped.Mark, err)
	}
	older, err := c.Notifications(ctx, acct, backend.NotificationQuery{Since: b.Mark, Before: capped.Older, Limit: 3})
	if err != nil || kinds(older.Items) != "boost,like" || older.Gap || older.Mark != "" {
		t.Fatalf("load older: %s gap %v mark %q, %v", kinds(older.Items), older.Gap, older.Mark, err)
	}
	all, err := c.Notifications(ctx, acct, backend.NotificationQuery{Limit: 4})
	if err != nil || kinds(all.Items) != "quote,follow,boost,like" || all.Gap || all.Older == "" {
		t.Fatalf("first sync capped: %s gap %v older %q, %v", kinds(all.Items), all.Gap, all.Older, err)
	}
	rest, err := c.Notifications(ctx, acct, backend.NotificationQuery{Before: all.Older, Limit: 50})
	if err != nil || kinds(rest.Items) != "reply,mention" || rest.Older != "" {
		t.Fatalf("the rest: %s older %q, %v", kinds(rest.Items), rest.Older, err)
	}

	// A cursor the AppView refuses.
	_, err = c.Notifications(ctx, acct, backend.NotificationQuery{Before: "not-a-cursor", Limit: 10})
	wantErr(t, err, backend.EInvalid, "bluesky.cursor_invalid")

	figures, err := c.PostMetrics(ctx, acct, []backend.RemoteRef{post, {URI: mention.URI}, {URI: gone.URI}, {ID: post.ID}})
	if err != nil {
		t.Fatal(err)
	}
	want := []backend.PostMetrics{
		{Ref: post, Replies: 1, Reposts: 1, Likes: 1, Quotes: 1},
		{Ref: backend.RemoteRef{URI: mention.URI, CID: mention.CID}},
		{Ref: backend.RemoteRef{URI: gone.URI}, Deleted: true},
		{Ref: backend.RemoteRef{ID: post.ID, URI: post.URI, CID: post.CID}, Replies: 1, Reposts: 1, Likes: 1, Quotes: 1},
	}
	if len(figures) != len(want) {
		t.Fatalf("figures %+v", figures)
	}
	for i := range want {
		if figures[i] != want[i] {
			t.Errorf("figures[%d] = %+v, want %+v", i, figures[i], want[i])
		}
	}
	_, err = c.Thread(ctx, acct, backend.RemoteRef{URI: gone.URI})
	wantErr(t, err, backend.ENotFound, "bluesky.post_not_found")

	followers, err := c.Followers(ctx, acct)
	if err != nil || followers != 1 {
		t.Fatalf("followers %d, %v", followers, err)
	}
	reportFromNetwork(t, ctx, c, n.pds, acct, post, want[0], followers)

	// The network's read marker.
	if err := c.MarkRead(ctx, acct, b2.Mark); err != nil {
		t.Fatal(err)
	}
	var seen struct {
		SeenAt        string
		Notifications []struct{ IsRead bool }
	}
	req, _ := http.NewRequest(http.MethodGet, n.pds+"/xrpc/app.bsky.notification.listNotifications?limit=10", nil)
	req.Header.Set("Authorization", "Bearer "+store.last().AccessJWT)
	doRaw(t, n.hc, req, &seen)
	if seen.SeenAt == "" || len(seen.Notifications) != 6 {
		t.Fatalf("after updateSeen: %+v", seen)
	}
	for _, it := range seen.Notifications {
		if !it.IsRead {
			t.Fatalf("unread after updateSeen: %+v", seen)
		}
	}
	if len(store.saved) != 1 {
		t.Fatalf("%d sessions saved: the fetchers must reuse the session, not log in again", len(store.saved))
	}
}

// TestBskyNetworkReplyOnce: Pauta answers a reply through Publish with
// ReplyTo/Root; the PDS's answer to the first putRecord is lost on the way
// back, the retry (same record key) writes nothing new, and the thread
// shows Pauta's answer exactly once, under the person's reply.
func TestBskyNetworkReplyOnce(t *testing.T) {
	n := realNetwork(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	lossy := &dropFirstPut{base: http.DefaultTransport}
	c, _, _, acct := n.pauta(&http.Client{Timeout: 30 * time.Second, Transport: lossy})
	fan := n.account("fan")

	post := publish(t, c, "¿Qué sabor queréis para el próximo mes?", nil, nil)
	n.process()
	theirs := n.act(fan, "reply", map[string]any{"text": "¡Pistacho!", "parent": strong(post), "root": strong(post)})
	n.process()
	b, err := c.Notifications(ctx, acct, backend.NotificationQuery{Limit: 10})
	if err != nil || len(b.Items) != 1 || b.Items[0].Kind != backend.KindReply || b.Items[0].Subject == nil {
		t.Fatalf("notifications %+v, %v", b, err)
	}
	item := b.Items[0].Subject

	lossy.arm()
	req := publishReq("¡Apuntado! 🍨", &item.Ref, item.Root)
	if _, err := c.Publish(ctx, req); backend.ErrorCode(err) != backend.ETransient {
		t.Fatalf("first send with the answer dropped: %v", err)
	}
	ours, err := c.Publish(ctx, req) // the outbox's retry: same request, same record key
	if err != nil {
		t.Fatal(err)
	}
	if lossy.dropped() != 1 || ours.ID != req.RecordKey {
		t.Fatalf("dropped %d, ref %+v", lossy.dropped(), ours)
	}
	n.process()

	thread, err := c.Thread(ctx, acct, post)
	if err != nil {
		t.Fatal(err)
	}
	var uris []string
	for _, p := range thread {
		uris = append(uris, p.Ref.URI)
	}
	if strings.Join(uris, " ") != strings.Join([]string{post.URI, theirs.URI, ours.URI}, " ") {
		t.Fatalf("thread %v, want post, their reply, our answer once", uris)
	}
	last := thread[2]
	if last.Text != "¡Apuntado! 🍨" || last.ReplyTo == nil || last.ReplyTo.URI != theirs.URI || last.Root == nil || last.Root.URI != post.URI {
		t.Fatalf("our answer %+v", last)
	}

	// The person deletes their reply: read from our answer, the thread
	// keeps its place, marked deleted.
	n.act(fan, "delete", map[string]any{"uri": theirs.URI})
	n.process()
	thread, err = c.Thread(ctx, acct, ours)
	if err != nil {
		t.Fatal(err)
	}
	if len(thread) != 3 || thread[0].Ref.URI != post.URI || thread[0].Deleted || thread[1].Ref.URI != theirs.URI || !thread[1].Deleted || thread[1].Text != "" ||
		thread[2].Ref.URI != ours.URI || thread[2].Deleted {
		t.Fatalf("thread after the delete: %+v", thread)
	}
}

// dropFirstPut delivers every request, but once armed it drops the answer
// to the first putRecord: the PDS wrote the record, Pauta sees a broken
// connection.
type dropFirstPut struct {
	base  http.RoundTripper
	mu    sync.Mutex
	armed bool
	n     int
}

func (d *dropFirstPut) arm() { d.mu.Lock(); d.armed = true; d.mu.Unlock() }

func (d *dropFirstPut) dropped() int { d.mu.Lock(); defer d.mu.Unlock(); return d.n }

func (d *dropFirstPut) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := d.base.RoundTrip(r)
	if err != nil || !strings.HasSuffix(r.URL.Path, "/com.atproto.repo.putRecord") {
		return resp, err
	}
	d.mu.Lock()
	drop := d.armed && d.n == 0 && resp.StatusCode == 200
	if drop {
		d.n++
	}
	d.mu.Unlock()
	if drop {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return nil, errors.New("read tcp: connection reset by peer (answer dropped by the test)")
	}
	return resp, nil
}
