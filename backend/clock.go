package backend

import "time"

// Clock tells the time. Production uses SystemClock; tests inject a fixed one.
type Clock interface{ Now() time.Time }

// SystemClock is the real wall clock.
type SystemClock struct{}

func (SystemClock) Now() time.Time { return time.Now() }

// FixedClock always returns T (tests).
type FixedClock struct{ T time.Time }

func (c FixedClock) Now() time.Time { return c.T }
