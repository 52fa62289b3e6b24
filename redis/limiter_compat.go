package redis

import "context"

// Wait blocks until a request for key may be sent: it implements mews.Limiter.
func (l *Limiter) Wait(ctx context.Context, key string) error {
	return l.wait(ctx, key, false)
}
