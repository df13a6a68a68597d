package outbox

import (
	"crypto/rand"
	"encoding/hex"
	mrand "math/rand/v2"
	"sync"
	"time"
)

// NewIdempotencyKey is a random UUID (version 4) for Mastodon's Idempotency-Key.
func NewIdempotencyKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand panics on a broken system source)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

const tidAlphabet = "234567abcdefghijklmnopqrstuvwxyz" // base32-sortable

var tidMu sync.Mutex
var tidLast int64
var tidClock = uint64(mrand.IntN(1024))

// NewRecordKey is a Bluesky TID: 53 bits of microseconds since the epoch
// and a 10-bit clock id, as 13 base32-sortable characters. Keys from this
// process increase strictly, so two variants never share one.
func NewRecordKey(now time.Time) string {
	tidMu.Lock()
	us := now.UnixMicro()
	if us <= tidLast {
		us = tidLast + 1
	}
	tidLast = us
	tidMu.Unlock()
	v := uint64(us)&(1<<53-1)<<10 | tidClock
	var s [13]byte
	for i := 12; i >= 0; i-- {
		s[i] = tidAlphabet[v&31]
		v >>= 5
	}
	return string(s[:])
}
