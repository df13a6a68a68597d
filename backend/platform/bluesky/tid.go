package bluesky

import (
	"crypto/rand"
	"encoding/binary"
	"regexp"

	"pauta/backend"
)

// base32-sortable: digits 2-7 then a-z, so TIDs sort like their timestamps.
const tidAlphabet = "234567abcdefghijklmnopqrstuvwxyz"

var tidRe = regexp.MustCompile(`^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$`)

// NewTID returns a record key for a new post (atproto TID): 64 bits with the
// top bit 0, 53 bits of microseconds since the Unix epoch from clock, and a
// random 10-bit clock id, as 13 base32-sortable characters. Generate it once
// per variant and store it: the same key on every retry makes putRecord a
// no-op the second time.
func NewTID(clock backend.Clock) string {
	var b [2]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails on supported systems
	return tidFrom(clock.Now().UnixMicro(), uint64(binary.BigEndian.Uint16(b[:]))&0x3FF)
}

func tidFrom(micros int64, clockID uint64) string {
	v := (uint64(micros)&(1<<53-1))<<10 | clockID&0x3FF
	var out [13]byte
	for i := 12; i >= 0; i-- {
		out[i] = tidAlphabet[v&31]
		v >>= 5
	}
	return string(out[:])
}

// ValidTID reports whether s is a syntactically valid TID.
func ValidTID(s string) bool { return tidRe.MatchString(s) }

// TIDTime returns the microseconds since the epoch encoded in a valid TID.
func TIDTime(s string) (int64, bool) {
	if !ValidTID(s) {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		v = v<<5 | uint64(indexByte(tidAlphabet, s[i]))
	}
	return int64(v >> 10), true
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}
