//go:build !unix

package benchcmp

import "time"

// cpuTime is 0 where the platform offers no per-process CPU clock; Ratios then leaves
// the CPU figures out.
func cpuTime() time.Duration { return 0 }
