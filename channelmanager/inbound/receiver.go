package inbound

import (
	"context"

	mews "github.com/mewskit/mews-go"
)

// Receiver is what a channel manager implements to receive the calls Mews makes: one
// method per operation, each with its typed request. The Handler decodes, authenticates
// and validates a call before the method runs, so a method only ever sees well-formed
// requests for this channel manager.
//
// A method returns nil (or Done) when the message was processed, and an error to
// refuse it. Build refusals with Reject and the detail helpers (RateError,
// CategoryError, …) so that Mews gets the documented codes; any other error is answered
// as code 1 (system error), which makes Mews send the message again later, and is
// logged without being shown to Mews. The Handler checks the clientToken only: refuse a
// connectionToken you do not know, or whose connection is inactive, with
// mews.CodeConnectionNotFound (3), and a confirmGroup about a booking you do not know
// with mews.CodeReservationNotFound (2).
//
// The inventory pushes may also answer Async: the message was accepted and its result
// follows through Confirm. The availability block and group pushes are always
// confirmed through Confirm; nil means "accepted for processing".
//
// Embed OptionalOperations to get default answers for the operations a channel
// manager need not support.
type Receiver interface {
	UpdatePrices(ctx context.Context, req *PricesUpdate) (Reply, error)
	UpdateAvailability(ctx context.Context, req *AvailabilityUpdate) (Reply, error)
	UpdateRestrictions(ctx context.Context, req *RestrictionsUpdate) (Reply, error)
	ConfirmGroup(ctx context.Context, req *BookingConfirmation) error
	ChangeNotification(ctx context.Context, req *ChangeNotification) error
	ProcessAvailabilityBlock(ctx context.Context, req *AvailabilityBlockPush) error
	ProcessGroup(ctx context.Context, req *GroupPush) error
}

// Reply says how an inventory push was accepted.
type Reply int

const (
	// Done: the push was applied; Mews gets asyncConfirmation false.
	Done Reply = iota
	// Async: the push was accepted and its result will follow through Confirm;
	// Mews gets asyncConfirmation true and waits for the confirmation.
	Async
)

// String names the reply, for logs.
func (r Reply) String() string {
	if r == Async {
		return "async"
	}
	return "done"
}

// OptionalOperations answers the operations that a channel manager need not
// implement: change notifications are acknowledged, availability blocks and groups
// pushed by Mews are refused with code 7 (processing error) and a message for the
// property. Embed it in a Receiver and override what you support.
type OptionalOperations struct{}

// ChangeNotification acknowledges the notification and does nothing else.
func (OptionalOperations) ChangeNotification(context.Context, *ChangeNotification) error {
	return nil
}

// ProcessAvailabilityBlock refuses the block: this channel manager does not take
// availability blocks from Mews.
func (OptionalOperations) ProcessAvailabilityBlock(context.Context, *AvailabilityBlockPush) error {
	return Reject(mews.ErrorDetail{Code: mews.CodeProcessing,
		Message: "This channel manager does not accept availability blocks from Mews; manage the block in the channel manager instead."})
}

// ProcessGroup refuses the group: this channel manager does not take reservations
// from Mews.
func (OptionalOperations) ProcessGroup(context.Context, *GroupPush) error {
	return Reject(mews.ErrorDetail{Code: mews.CodeProcessing,
		Message: "This channel manager does not accept reservations from Mews; switch off reservation synchronization for this connection."})
}

// Reject builds the error a Receiver method returns to refuse a message with Channel
// Manager error codes. Mews e-mails each message to the property, so say what is
// wrong and how to fix it. Codes 9 and 11 need a rate code and codes 10 and 11 a
// category code: use RateError, CategoryError and RateCategoryError for those.
// Without details, the refusal is a code-1 system error.
func Reject(details ...mews.ErrorDetail) error {
	if len(details) == 0 {
		details = []mews.ErrorDetail{systemError()}
	}
	return mews.NewChannelManagerError("", details...)
}

// RateError refuses a rate (code 9); Mews unsynchronizes the rate.
func RateError(rateCode, message string) mews.ErrorDetail {
	return mews.ErrorDetail{Code: mews.CodeRateError, Message: message, RateCode: rateCode}
}

// CategoryError refuses a space category (code 10); Mews removes it from the rate.
func CategoryError(categoryCode, message string) mews.ErrorDetail {
	return mews.ErrorDetail{Code: mews.CodeCategoryError, Message: message, CategoryCode: categoryCode}
}

// RateCategoryError refuses a rate and category combination (code 11); Mews removes
// the category from the rate.
func RateCategoryError(rateCode, categoryCode, message string) mews.ErrorDetail {
	return mews.ErrorDetail{Code: mews.CodeRateCategoryError, Message: message, RateCode: rateCode, CategoryCode: categoryCode}
}

// systemError is the answer for failures that are not the message's fault.
func systemError() mews.ErrorDetail {
	return mews.ErrorDetail{
		Code:    mews.CodeSystemError,
		Message: "The channel manager could not process the message right now; Mews will send it again later.",
	}
}

// missingCode returns which field a detail's code requires and lacks, or "".
func missingCode(d mews.ErrorDetail) string {
	switch {
	case (d.Code == mews.CodeRateError || d.Code == mews.CodeRateCategoryError) && d.RateCode == "":
		return "rateCode"
	case (d.Code == mews.CodeCategoryError || d.Code == mews.CodeRateCategoryError) && d.CategoryCode == "":
		return "categoryCode"
	}
	return ""
}
