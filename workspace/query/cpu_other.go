//go:build !unix

package query

import "time"

// processCPU is not measured on this platform.
func processCPU() (user, kernel time.Duration, ok bool) { return 0, 0, false }
