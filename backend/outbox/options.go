package outbox

import (
	"context"
	"log"
	"math/rand/v2"
	"time"

	"pauta/backend"
)

// Options tune the outbox; zero values take the defaults.
type Options struct {
	// Grace is how late a never-attempted post may still go out; later it is
	// missed and waits for the user. Default 15 min.
	Grace time.Duration
	// Tick is the longest the loop sleeps: it re-checks offline hosts and
	// notices wall-clock jumps (sleep, suspend). Default 30 s.
	Tick time.Duration
	// MinBackoff and MaxBackoff bound the per-account exponential backoff
	// after transient failures. Defaults 5 s and 10 min.
	MinBackoff, MaxBackoff time.Duration
	// Spacing separates the posts of one account sent with PublishNow, so a
	// batch of missed posts never goes out in a burst. Default 3 min.
	Spacing time.Duration
	// Parallel is how many accounts publish at once. Default 4.
	Parallel int
	// PublishTimeout bounds one network call. Default 2 min.
	PublishTimeout time.Duration
	// ReachTTL is how long a host check holds. Default 15 s.
	ReachTTL time.Duration
	// ReachTimeout bounds one host check. Default 3 s.
	ReachTimeout time.Duration
	// MaxAttempts ends the retries of one variant: it goes to needs_review
	// (outcome unknown) or failed. Default 30.
	MaxAttempts int
	// BatchSize is how many due variants one pass reads. Default 500.
	BatchSize int
	// Host names the host to check for an account ("" = no check). Default DefaultHost.
	Host func(backend.Account) string
	// Settle is how long after the mark taken before a call (on the
	// server's clock) the call has surely finished there: a lookup that
	// does not find it then proves it was not created (resolve.go; for a
	// server-side schedule, its list: remote_recover.go). Default
	// PublishTimeout + 3 min (the client gives up after PublishTimeout; the
	// rest covers a request still queued on the server).
	Settle time.Duration
	// MediaReuse is how long (server's clock) uploaded images are reused by
	// a retry instead of uploaded again. Default 6 h (Mastodon deletes
	// unattached media after a day).
	MediaReuse time.Duration
	// Window is how long after an attempt a re-send cannot duplicate, for a
	// publisher that can neither look a call up nor mark the timeline. Default DefaultWindow.
	Window func(backend.Network, backend.Publisher) time.Duration
	// Jitter returns a number in [0, 1). Default math/rand.
	Jitter func() float64
	// Prepare completes a request before it is sent (media files, reply
	// refs): it must give the same result on every retry. Its error is
	// treated as certainly not sent: an EInvalid one (a missing or damaged
	// image) fails the variant with that reason; any other delays it like a
	// transient failure (the claim has counted the attempt).
	Prepare func(ctx context.Context, job backend.OutboxJob, req *backend.PublishRequest) error
	// Logf logs (rate-limited for repeated loop errors). Default log.Printf.
	Logf func(format string, args ...any)
}

func (o *Options) defaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.Grace, 15*time.Minute)
	def(&o.Tick, 30*time.Second)
	def(&o.MinBackoff, 5*time.Second)
	def(&o.MaxBackoff, 10*time.Minute)
	def(&o.Spacing, 3*time.Minute)
	def(&o.PublishTimeout, 2*time.Minute)
	def(&o.Settle, o.PublishTimeout+3*time.Minute)
	def(&o.MediaReuse, 6*time.Hour)
	def(&o.ReachTimeout, 3*time.Second)
	if o.ReachTTL < 0 {
		o.ReachTTL = 0
	} else if o.ReachTTL == 0 {
		o.ReachTTL = 15 * time.Second
	}
	if o.MaxBackoff < o.MinBackoff {
		o.MaxBackoff = o.MinBackoff
	}
	if o.Parallel <= 0 {
		o.Parallel = 4
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 30
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 500
	}
	if o.Host == nil {
		o.Host = DefaultHost
	}
	if o.Window == nil {
		o.Window = DefaultWindow
	}
	if o.Jitter == nil {
		o.Jitter = rand.Float64
	}
	if o.Logf == nil {
		o.Logf = log.Printf
	}
}
