//go:build unix

package app

import (
	"syscall"
	"time"
)

// cpuTime is the process's user + system CPU time: on a shared machine it
// says what a run costs when the wall clock is stretched by other work.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
