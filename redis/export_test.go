package redis

import "context"

// WaitHealthCheck asks for a health check's admission until the root Limiter
// interface carries the priority itself.
func (l *Limiter) WaitHealthCheck(ctx context.Context, key string) error {
	return l.wait(ctx, key, true)
}

// SetOnFallback lets a test count the requests answered by the fallback.
func (l *Limiter) SetOnFallback(f func()) { l.onFallback = f }
