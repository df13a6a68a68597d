package outbox

import (
	"time"

	"pauta/backend"
)

// MinGrace and MaxGrace bound the grace period a user may choose.
const (
	MinGrace = time.Minute
	MaxGrace = 24 * time.Hour
)

// Grace is how late a never-attempted post may still go out by itself.
func (o *Outbox) Grace() time.Duration {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.grace
}

// SetGrace changes the grace period from the next pass on (the setting
// changed). Values are clamped to [MinGrace, MaxGrace]; zero or less means
// the default (15 min). Posts already missed stay missed.
func (o *Outbox) SetGrace(d time.Duration) {
	switch {
	case d <= 0:
		d = 15 * time.Minute
	case d < MinGrace:
		d = MinGrace
	case d > MaxGrace:
		d = MaxGrace
	}
	o.mu.Lock()
	changed := o.grace != d
	o.grace = d
	o.mu.Unlock()
	if changed {
		o.nudge()
	}
}

// CheckNow forgets what is known about every host and wakes the loop: the
// next pass checks them again at once ("retry now" in the online indicator).
func (o *Outbox) CheckNow() {
	o.mu.Lock()
	for h, hs := range o.hosts {
		hs.checked = time.Time{}
		o.hosts[h] = hs
	}
	o.mu.Unlock()
	o.nudge()
}

// DropHost forgets host entirely (its account was removed): it no longer
// counts in the online indicator, which follows the hosts still in use.
func (o *Outbox) DropHost(host string) {
	if host == "" {
		return
	}
	o.mu.Lock()
	if _, ok := o.hosts[host]; !ok {
		o.mu.Unlock()
		return
	}
	delete(o.hosts, host)
	any := false
	for _, h := range o.hosts {
		any = any || h.online
	}
	flip := o.lastKnown && any != o.lastOnline
	if len(o.hosts) == 0 {
		o.lastKnown = false // nothing checked any more: unknown, not "offline"
		flip = true
	}
	o.lastOnline = any
	o.mu.Unlock()
	if flip {
		o.events.Emit(backend.EventOnlineChanged, any)
	}
}
