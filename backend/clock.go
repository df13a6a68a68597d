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

// ShiftedClock is Base's time moved by Shift: the app run as it will be (or
// was) at another time, for trying a later day out (PAUTA_CLOCK_SHIFT).
type ShiftedClock struct {
	Base  Clock
	Shift time.Duration
}

func (c ShiftedClock) Now() time.Time { return c.Base.Now().Add(c.Shift) }
