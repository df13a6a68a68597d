package outbox

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"pauta/backend"
)

// flakyNet is a network that goes up and down, with a server behind it that
// honours idempotency keys and counts the posts it really created.
type flakyNet struct {
	mu       sync.Mutex
	down     bool
	byKey    map[string]backend.RemoteRef
	created  map[string]int // by text
	calls    int
	refused  int // calls while down: never reached the server
	lost     int // reached the server, answer lost
	resentOK int // a retry answered with the original post
	rng      *rand.Rand
}

func (n *flakyNet) Online(ctx context.Context, host string) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return !n.down
}

func (n *flakyNet) IdempotencyWindow() time.Duration { return time.Hour }

func (n *flakyNet) Publish(ctx context.Context, req backend.PublishRequest) (backend.RemoteRef, error) {
	n.mu.Lock()
	n.calls++
	if n.down {
		n.refused++
		n.mu.Unlock()
		return backend.RemoteRef{}, backend.Errorf(backend.ETransient, "network.transient", "network is unreachable")
	}
	ref, ok := n.byKey[req.IdempotencyKey]
	if ok {
		n.resentOK++
	} else {
		n.created[req.Text]++
		ref = backend.RemoteRef{ID: fmt.Sprint(len(n.byKey) + 1), URL: "https://flaky.example/" + fmt.Sprint(len(n.byKey)+1)}
		n.byKey[req.IdempotencyKey] = ref
	}
	// The connection drops on the way back now and then, or the network
	// went down during the call: the post exists, the answer is lost.
	lose := n.down || n.rng.IntN(10) == 0
	if lose {
		n.lost++
	}
	n.mu.Unlock()
	if lose {
		return backend.RemoteRef{}, backend.Errorf(backend.ETransient, "network.transient", "connection reset by peer")
	}
	return ref, nil
}

func (n *flakyNet) setDown(d bool) {
	n.mu.Lock()
	n.down = d
	n.mu.Unlock()
}

// settle waits until the loop has done a pass since `before` and no worker runs.
func settle(t *testing.T, o *Outbox, before int) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		o.mu.Lock()
		done := o.passes > before && len(o.busy) == 0
		o.mu.Unlock()
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the loop did not settle")
		}
		time.Sleep(100 * time.Microsecond)
	}
}

func passes(o *Outbox) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.passes
}

func TestFlappingNetworkPublishesEachPostOnce(t *testing.T) {
	const posts, flaps, accounts = 200, 1000, 5
	e := newEnv(t)
	var accs []backend.Account
	for i := 0; i < accounts; i++ {
		accs = append(accs, e.account(backend.Mastodon, fmt.Sprintf("@sol%d@host%d.example", i, i)))
	}
	// 200 posts are scheduled as the day goes (one every 5 flaps, due 5–15 s
	// later) and fall due while the network flaps.
	ids := make([]int64, 0, posts)
	net := &flakyNet{byKey: map[string]backend.RemoteRef{}, created: map[string]int{}, rng: rand.New(rand.NewPCG(1, 2))}
	o := New(e.db, map[backend.Network]backend.Publisher{backend.Mastodon: net}, e.clock, net, e.events, Options{
		Tick: time.Second, ReachTTL: -1, MinBackoff: time.Second, MaxBackoff: 8 * time.Second, Logf: t.Logf,
	})
	ctx, cancel := context.WithCancel(e.ctx)
	done := make(chan error, 1)
	go func() { done <- o.Run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()

	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < flaps; i++ {
		if i%(flaps/posts) == 0 && len(ids) < posts {
			k := len(ids)
			_, v := e.post(e.clock.Now().Add(time.Duration(5+rng.IntN(11))*time.Second), fmt.Sprintf("flap %d", k), accs[k%accounts])
			ids = append(ids, v[0])
		}
		e.clock.Advance(time.Duration(1+rng.IntN(5)) * time.Second) // 1–5 s, 3 s on average
		before := passes(o)
		if i%(flaps/posts) == 0 {
			o.Wake() // a post was scheduled
		} else {
			o.nudge() // time passed (the loop's own timer, sped up)
		}
		// Flip at a random moment: before, during or after the calls.
		time.Sleep(time.Duration(rng.IntN(800)) * time.Microsecond)
		net.setDown(i%2 == 0)
		settle(t, o, before)
	}
	net.setDown(false)
	deadline := time.Now().Add(20 * time.Second)
	for {
		items, err := o.Items(e.ctx, backend.OutboxFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(items) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d posts not done: first %+v", len(items), items[0])
		}
		e.clock.Advance(3 * time.Second)
		before := passes(o)
		o.nudge()
		settle(t, o, before)
	}
	for k, id := range ids {
		if s := e.state(id); s != backend.OutboxPublished {
			t.Errorf("post %d: %s", k, s)
		}
		if n := net.created[fmt.Sprintf("flap %d", k)]; n != 1 {
			t.Errorf("post %d created %d times", k, n)
		}
	}
	t.Logf("%d flaps over %s of fake time: %d calls, %d refused while down, %d answers lost, %d retries answered with the original post",
		flaps, e.clock.Now().Sub(t0), net.calls, net.refused, net.lost, net.resentOK)
	if net.refused == 0 || net.lost == 0 || net.resentOK == 0 {
		t.Error("the test did not exercise the failures it is about")
	}
}
