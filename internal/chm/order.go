package chm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"sync"

	mews "github.com/mewskit/mews-go"
)

// ErrSuperseded is what a full-state push returns when a newer push for the same
// connection and key started before it was delivered: its remaining retries were
// dropped so that the older state cannot overwrite the newer one. The public packages
// export it as reservations.ErrSuperseded and ari.ErrSuperseded.
var ErrSuperseded = errors.New("mews: superseded by a newer push for the same key")

// push is one full-state push in the registry: the latest for its key.
type push struct {
	cancel context.CancelCauseFunc
	done   chan struct{} // closed once the push and every push it superseded returned
}

// latest maps a (connection, operation, key) to its newest push while one is running.
// It holds no entry at rest, so it never grows with the number of keys ever pushed. It
// is process-wide, so that two handles or clients for the same connection are ordered
// too; it belongs on *mews.Client once the root package can host it.
var latest = struct {
	mu sync.Mutex
	m  map[string]*push
}{m: make(map[string]*push)}

// Latest sends a full-state push (setInventory, processGroup, an update of an
// availability block, a confirmation) so that, per connection, operation and key, the
// SDK never sends an older state after a newer one.
//
// Such pushes are idempotent writes, which the pipeline retries for up to about 30 s
// after a 5xx or a lost answer. Without ordering, a retry of an older push could land
// after a newer push for the same key and overwrite it. Latest therefore lets the newest
// push win: when a push for a key starts, the push still running for that key is
// superseded (its context is cancelled with ErrSuperseded, so its backoff ends and an
// attempt in flight is abandoned), and the new push is sent only once the old call has
// returned. The old call returns an error matching ErrSuperseded. A caller that waits
// for the old push to finish before starting the new one sees no change.
//
// What remains: an attempt already on the wire when it is abandoned may still reach
// Mews, just before the newer push; Mews documents no ordering between messages it
// receives at nearly the same time.
func Latest(ctx context.Context, cm *mews.ChannelManager, op, key string, send func(context.Context) error) error {
	if cm == nil {
		return send(ctx) // the pipeline reports the nil handle
	}
	k := op + "\x00" + fingerprint(cm.ConnectionToken().Reveal()) + "\x00" + key
	pctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	mine := &push{cancel: cancel, done: make(chan struct{})}
	latest.mu.Lock()
	prev := latest.m[k]
	latest.m[k] = mine
	latest.mu.Unlock()
	defer func() {
		latest.mu.Lock()
		if latest.m[k] == mine {
			delete(latest.m, k)
		}
		latest.mu.Unlock()
		close(mine.done)
	}()
	if prev != nil {
		prev.cancel(ErrSuperseded)
		<-prev.done // prompt: a cancelled push stops at its next wait or read
	}
	if context.Cause(pctx) == ErrSuperseded {
		return ErrSuperseded // an even newer push started while this one waited
	}
	err := send(pctx)
	if err != nil && ctx.Err() == nil && context.Cause(pctx) == ErrSuperseded {
		return ErrSuperseded
	}
	return err
}

// fingerprint identifies a token in a map key without holding the token itself.
func fingerprint(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:12])
}
