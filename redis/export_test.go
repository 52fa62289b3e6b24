package redis

// SetOnFallback lets a test count the requests answered by the fallback.
func (l *Limiter) SetOnFallback(f func()) { l.onFallback = f }
