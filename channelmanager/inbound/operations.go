package inbound

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"runtime/debug"

	mews "github.com/mewskit/mews-go"
)

// operation is one path the Handler serves.
type operation struct {
	name    string
	maxBody int64 // default body cap
	serve   func(ctx context.Context, h *Handler, body []byte) (Reply, error)
}

// request is the constraint on the typed request of an operation: a pointer to it
// can check itself and names its message id ("" when the operation has none).
type request[T any] interface {
	*T
	validate(c *checker)
	clientToken() mews.Token
	messageID() string
	connection() mews.Token
}

// operations lists the seven operations and how each reaches the Receiver.
func operations() []*operation {
	return []*operation{
		newOperation(PathUpdatePrices, DefaultMaxBodyBytes, Receiver.UpdatePrices),
		newOperation(PathUpdateAvailability, DefaultMaxBodyBytes, Receiver.UpdateAvailability),
		newOperation(PathUpdateRestrictions, DefaultMaxBodyBytes, Receiver.UpdateRestrictions),
		newOperation(PathConfirmGroup, maxNotificationBodyBytes, acknowledged(Receiver.ConfirmGroup)),
		newOperation(PathChangeNotification, maxNotificationBodyBytes, acknowledged(Receiver.ChangeNotification)),
		newOperation(PathProcessAvailabilityBlock, maxBlockBodyBytes, acknowledged(Receiver.ProcessAvailabilityBlock)),
		newOperation(PathProcessGroup, maxGroupBodyBytes, acknowledged(Receiver.ProcessGroup)),
	}
}

// acknowledged adapts a method that can only accept or refuse.
func acknowledged[P any](m func(Receiver, context.Context, P) error) func(Receiver, context.Context, P) (Reply, error) {
	return func(r Receiver, ctx context.Context, req P) (Reply, error) {
		return Done, m(r, ctx, req)
	}
}

// newOperation decodes the body as T in one pass, clientToken included, checks the
// token (errUnauthenticated) and validates the request (code 6 on failure, without
// calling the Receiver), de-duplicates by message id, and calls the method. A body
// that does not decode is checked for its token first, so that only the right
// sender learns what is wrong with it.
func newOperation[T any, P request[T]](name string, maxBody int64, method func(Receiver, context.Context, P) (Reply, error)) *operation {
	op := &operation{name: name, maxBody: maxBody}
	op.serve = func(ctx context.Context, h *Handler, body []byte) (Reply, error) {
		req := P(new(T))
		if err := json.Unmarshal(body, req); err != nil {
			ok, authErr := h.authenticatedBody(op, body)
			switch {
			case authErr != nil:
				return Done, validationError("The body cannot be read as a JSON object: " + describeJSONError(authErr))
			case !ok:
				return Done, errUnauthenticated
			}
			return Done, validationError("The body does not match " + name + ": " + describeJSONError(err))
		}
		if !h.authenticated(op, req.clientToken()) {
			return Done, errUnauthenticated
		}
		var c checker
		req.validate(&c)
		if c.problem != "" {
			return Done, validationError(c.problem)
		}
		if h.serial != nil {
			release, err := h.serial.acquire(ctx, req.connection().Reveal())
			if err != nil {
				return Done, Reject() // Mews gave up waiting; it redelivers
			}
			defer release()
		}
		return h.apply(ctx, name, req.messageID(), func() (Reply, error) { return method(h.recv, ctx, req) })
	}
	return op
}

// apply runs the Receiver once per accepted message id when de-duplication is on.
func (h *Handler) apply(ctx context.Context, op, messageID string, call func() (Reply, error)) (Reply, error) {
	if h.dedup == nil || messageID == "" {
		return h.call(ctx, op, call)
	}
	key := op + "\x00" + messageID
	state, reply, err := h.dedup.Begin(ctx, key)
	if err != nil {
		h.log.ErrorContext(ctx, "mews inbound: the deduplication store failed; answering code 1 so Mews redelivers",
			slog.String("operation", op), slog.String("messageId", messageID), slog.Any("error", err))
		return Done, Reject()
	}
	switch state {
	case DedupAccepted:
		h.log.InfoContext(ctx, "mews inbound: redelivery acknowledged without processing it again",
			slog.String("operation", op), slog.String("messageId", messageID))
		return reply, nil
	case DedupBusy:
		return Done, Reject(mews.ErrorDetail{Code: mews.CodeSystemError,
			Message: fmt.Sprintf("Message %s is still being processed; send it again later.", truncate(messageID))})
	}
	reply, err = h.call(ctx, op, call)
	if ferr := h.dedup.Finish(context.WithoutCancel(ctx), key, err == nil, reply); ferr != nil {
		h.log.ErrorContext(ctx, "mews inbound: the deduplication store did not record the message",
			slog.String("operation", op), slog.String("messageId", messageID), slog.Any("error", ferr))
	}
	return reply, err
}

// call runs the Receiver and turns a panic into a code-1 answer.
func (h *Handler) call(ctx context.Context, op string, f func() (Reply, error)) (reply Reply, err error) {
	defer func() {
		if p := recover(); p != nil {
			h.log.ErrorContext(ctx, "mews inbound: receiver panicked; answering code 1",
				slog.String("operation", op), slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
			reply, err = Done, Reject()
		}
	}()
	return f()
}

// validationError is the code-6 refusal of a malformed call.
func validationError(message string) error {
	return Reject(mews.ErrorDetail{Code: mews.CodeValidation, Message: message})
}

// knownPaths lists the served paths, for the message about an unknown one.
func knownPaths() []string {
	ops := operations()
	names := make([]string, len(ops))
	for i, op := range ops {
		names[i] = op.name
	}
	return names
}

// checker collects the first problem found while validating a request.
type checker struct{ problem string }

// require records "<field> is missing." when ok is false and nothing was found yet.
func (c *checker) require(ok bool, field string, args ...any) {
	if !ok && c.problem == "" {
		c.problem = fmt.Sprintf(field, args...) + " is missing."
	}
}

// connection checks the connection token every call carries.
func (c *checker) connection(t mews.Token) { c.require(!t.IsZero(), "connectionToken") }

// validate checks the fields every push carries.
func (m *Message) validate(c *checker) {
	c.connection(m.ConnectionToken)
	c.require(m.MessageID != "", "messageId")
}

// messageID identifies the push for de-duplication.
func (m *Message) messageID() string { return m.MessageID }

// connection is the connection the push concerns.
func (m *Message) connection() mews.Token { return m.ConnectionToken }

func (r *PricesUpdate) validate(c *checker) {
	r.Message.validate(c)
	for i, p := range r.RatePrices {
		c.require(p.SpaceTypeCode != "", "ratePrices[%d].spaceTypeCode", i)
		c.require(p.RatePlanCode != "", "ratePrices[%d].ratePlanCode", i)
		c.require(!p.From.IsZero(), "ratePrices[%d].from", i)
		c.require(!p.To.IsZero(), "ratePrices[%d].to", i)
	}
	for i, d := range r.DependentRates {
		c.require(d.RateCode != "", "dependentRates[%d].rateCode", i)
	}
}

func (r *AvailabilityUpdate) validate(c *checker) {
	r.Message.validate(c)
	for i, a := range r.Availabilities {
		c.require(a.SpaceTypeCode != "", "availabilities[%d].spaceTypeCode", i)
		c.require(!a.From.IsZero(), "availabilities[%d].from", i)
		c.require(!a.To.IsZero(), "availabilities[%d].to", i)
	}
}

func (r *RestrictionsUpdate) validate(c *checker) {
	r.Message.validate(c)
	for i, x := range r.Restrictions {
		c.require(x.SpaceTypeCode != "", "restrictions[%d].spaceTypeCode", i)
		c.require(x.RatePlanCode != "", "restrictions[%d].ratePlanCode", i)
		c.require(!x.From.IsZero(), "restrictions[%d].from", i)
		c.require(!x.To.IsZero(), "restrictions[%d].to", i)
		c.require(len(x.State) > 0, "restrictions[%d].state", i)
	}
}

func (r *ChangeNotification) validate(c *checker)     { c.connection(r.ConnectionToken) }
func (r *ChangeNotification) messageID() string       { return "" }
func (r *ChangeNotification) clientToken() mews.Token { return r.ClientToken }
func (r *ChangeNotification) connection() mews.Token  { return r.ConnectionToken }

func (r *BookingConfirmation) validate(c *checker) {
	c.connection(r.ConnectionToken)
	c.require(r.ChannelManagerID != "", "channelManagerId")
}
func (r *BookingConfirmation) messageID() string       { return "" }
func (r *BookingConfirmation) clientToken() mews.Token { return r.ClientToken }
func (r *BookingConfirmation) connection() mews.Token  { return r.ConnectionToken }
