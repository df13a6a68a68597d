package outbox

// Whether each host answers: checked when a job needs it (cached for
// ReachTTL), forgotten when its accounts go, and summed up for the UI's
// online indicator.

import (
	"context"
	"time"

	"pauta/backend"
)

// hostOnline checks host (cached for ReachTTL) and updates the indicator.
func (o *Outbox) hostOnline(ctx context.Context, host string) bool {
	now := o.clock.Now()
	o.mu.Lock()
	hs, ok := o.hosts[host]
	o.mu.Unlock()
	if ok && !hs.checked.IsZero() && now.Sub(hs.checked) < o.opt.ReachTTL && !now.Before(hs.checked) {
		return hs.online
	}
	cctx, cancel := context.WithTimeout(ctx, o.opt.ReachTimeout)
	up := o.reach.Online(cctx, host)
	cancel()
	if ctx.Err() != nil {
		return false
	}
	o.setHost(host, up, now)
	return up
}

// setHost records a host's reachability and emits online:changed when the
// global indicator flips.
func (o *Outbox) setHost(host string, up bool, at time.Time) {
	o.mu.Lock()
	prev, had := o.hosts[host]
	o.hosts[host] = hostState{online: up, checked: at}
	any := false
	for _, h := range o.hosts {
		any = any || h.online
	}
	flip := !o.lastKnown || any != o.lastOnline
	o.lastKnown, o.lastOnline = true, any
	hostFlip := !had || prev.online != up
	if hostFlip {
		o.dirty = true // "waiting for connection" changes
	}
	o.mu.Unlock()
	if flip {
		o.events.Emit(backend.EventOnlineChanged, any)
	}
	if hostFlip {
		o.scheduleFlush()
	}
}

// forgetHost makes the next call re-check host (after a failed call).
func (o *Outbox) forgetHost(host string) {
	if host == "" {
		return
	}
	o.mu.Lock()
	if hs, ok := o.hosts[host]; ok {
		hs.checked = time.Time{}
		o.hosts[host] = hs
	}
	o.mu.Unlock()
}

// Online is the global connection indicator: some checked host answered.
func (o *Outbox) Online() backend.OnlineStatus {
	o.mu.Lock()
	defer o.mu.Unlock()
	st := backend.OnlineStatus{Known: o.lastKnown, Online: o.lastOnline, Hosts: map[string]bool{}}
	for h, s := range o.hosts {
		st.Hosts[h] = s.online
		if s.checked.After(st.CheckedAt) {
			st.CheckedAt = s.checked
		}
	}
	return st
}
