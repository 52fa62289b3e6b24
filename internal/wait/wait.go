// Package wait is the one context-aware sleep of the SDK's packages: backoffs, settle
// periods, redeliveries and the fake's delays all wait the same way.
package wait

import (
	"context"
	"time"
)

// For waits d, or returns ctx's error as soon as ctx ends first. A d of zero or less
// returns at once (nil, unless ctx has already ended).
func For(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
