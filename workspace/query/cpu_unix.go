//go:build unix

package query

import (
	"syscall"
	"time"
)

// processCPU returns the user and kernel CPU time the process has used.
func processCPU() (user, kernel time.Duration, ok bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0, false
	}
	return time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano()), true
}
