package channelmanager

import (
	mews "github.com/mewskit/mews-go"
)

// ErrSuperseded is what a full-state push (ProcessGroup, ProcessAvailabilityBlock,
// SetInventory, a confirmation) returns when a newer push for the same connection and
// key started before it was delivered: its remaining retries were dropped so that the
// older state cannot overwrite the newer one. Nothing needs resending. It is
// mews.ErrSuperseded: the pipeline orders such pushes (mews.Operation.Supersedes).
var ErrSuperseded = mews.ErrSuperseded

// connection is what a *mews.ChannelManager tells about itself beyond sending: its
// client, whose platform address decides where a confirmation may follow Mews'
// responseUrl.
type connection interface {
	Client() *mews.Client
}

// environment returns the environment of the handle's client. A handle that does not
// tell it (a stub, or a wrapper that does not embed *mews.ChannelManager) gets the zero
// Environment: its confirmations go to their default path.
func environment(h mews.ChannelManagerCaller) mews.Environment {
	if cm, ok := h.(*mews.ChannelManager); ok && cm == nil {
		return mews.Environment{}
	}
	if c, ok := h.(connection); ok && c.Client() != nil {
		return c.Client().Environment()
	}
	return mews.Environment{}
}

// noHandle is the error of an operation called without a handle.
func noHandle(op string) error {
	return &mews.InputError{Operation: op, Field: "handle", Reason: "is nil; pass a *mews.ChannelManager from client.ChannelManager(connectionToken)"}
}
