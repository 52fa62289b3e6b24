package channelmanager

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"sync"

	mews "github.com/mewskit/mews-go"
)

// ErrSuperseded is what a full-state push (ProcessGroup, ProcessAvailabilityBlock,
// SetInventory, a confirmation) returns when a newer push for the same connection and
// key started before it was delivered: its remaining retries were dropped so that the
// older state cannot overwrite the newer one. Nothing needs resending.
var ErrSuperseded = errors.New("mews: superseded by a newer push for the same key")

// push is one full-state push in the registry: the latest for its key.
type push struct {
	cancel context.CancelCauseFunc
	done   chan struct{} // closed once the push and every push it superseded returned
}

// latest maps a (connection, operation, key) to its newest push while one is running.
// It holds no entry at rest, so it never grows with the number of keys ever pushed. It
// is process-wide, so that two handles or clients for the same connection are ordered
// too; it belongs on *mews.Client once the root package can host it (issue 14).
var latest = struct {
	mu sync.Mutex
	m  map[string]*push
}{m: make(map[string]*push)}

// sendLatest sends a full-state push (setInventory, processGroup, an update of an
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
// receives at nearly the same time. A handle that does not say which connection it
// stands for (a stub in a unit test) is not ordered: send runs at once.
func sendLatest(ctx context.Context, h mews.ChannelManagerCaller, op, key string, send func(context.Context) error) error {
	conn, ok := connectionOf(h)
	if !ok {
		return send(ctx)
	}
	k := op + "\x00" + fingerprint(conn.ConnectionToken().Reveal()) + "\x00" + key
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

// connection is what a *mews.ChannelManager tells about itself beyond sending: its
// client (for the environment's push URLs and platform address) and its connection
// token (for ordering pushes per connection).
type connection interface {
	Client() *mews.Client
	ConnectionToken() mews.Token
}

// connectionOf returns the handle as a connection when it is one that is not nil.
func connectionOf(h mews.ChannelManagerCaller) (connection, bool) {
	if cm, ok := h.(*mews.ChannelManager); ok && cm == nil {
		return nil, false
	}
	c, ok := h.(connection)
	if !ok || c.Client() == nil {
		return nil, false
	}
	return c, true
}

// environment returns the environment of the handle's client. A handle that does not
// tell it (a stub, or a wrapper that does not embed *mews.ChannelManager) gets the zero
// Environment: confirmations go to their default path, and pushes to the operation's
// name unless they carry a card (see pushURL).
func environment(h mews.ChannelManagerCaller) mews.Environment {
	if c, ok := connectionOf(h); ok {
		return c.Client().Environment()
	}
	return mews.Environment{}
}

// pushURL is where a push that may carry a payment card goes: the PCI-proxy URL that
// url picks from the handle's environment. Without one (a handle that does not tell its
// environment, or an environment without that URL) the push goes to the operation's
// name, unless it carries a card: a card must never travel anywhere but the PCI proxy,
// so that push is refused before anything is sent.
func pushURL(h mews.ChannelManagerCaller, op string, card *PaymentCard, url func(mews.Environment) string) (string, error) {
	if u := url(environment(h)); u != "" || card == nil {
		return u, nil
	}
	return "", &mews.InputError{Operation: op, Field: "paymentCard",
		Reason: "can only go to Mews' PCI-proxy push URL, which this handle does not tell; pass the *mews.ChannelManager (or embed it in your wrapper), with an environment that has the push URLs"}
}

// noHandle is the error of an operation called without a handle.
func noHandle(op string) error {
	return &mews.InputError{Operation: op, Field: "handle", Reason: "is nil; pass a *mews.ChannelManager from client.ChannelManager(connectionToken)"}
}
