package channelmanager

import (
	"context"
	"fmt"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager/internal/wire"
)

// SetInventoryParams is the input of SetInventory.
type SetInventoryParams struct {
	// Mappings is the connection's complete rate plan × space category mapping.
	Mappings []InventoryMapping
	// DeleteAllMappings lets SetInventory send an empty Mappings, which deletes every
	// mapping of the connection. Without it an empty list is refused.
	DeleteAllMappings bool
}

// SetInventory REPLACES the connection's whole rate plan × space category mapping
// (setInventory): every pair that exists in Mews but is missing from p.Mappings is
// deleted. It can combine existing rates and categories, but cannot create either.
//
// Because an empty list would delete every mapping, SetInventory refuses one and sends
// nothing (*mews.InputError) unless p.DeleteAllMappings is set. Pairs with an empty
// code or given twice are refused too.
//
// The call states the complete mapping, so it is retried after a lost answer, and the
// newest call per connection wins: one that starts while an older one is still being
// retried stops the older one (which returns ErrSuperseded) and is sent once that call
// has returned, so a retry of an older mapping never lands after a newer one.
func SetInventory(ctx context.Context, h mews.ChannelManagerCaller, p SetInventoryParams) error {
	const op = "setInventory"
	if h == nil {
		return noHandle(op)
	}
	if len(p.Mappings) == 0 && !p.DeleteAllMappings {
		return &mews.InputError{Operation: op, Field: "inventoryMappings", Reason: "is empty, which would delete every mapping of the connection; set DeleteAllMappings if that is what you want"}
	}
	seen := make(map[InventoryMapping]bool, len(p.Mappings))
	for i, m := range p.Mappings {
		field := fmt.Sprintf("inventoryMappings[%d]", i)
		switch {
		case m.RatePlanCode == "" || m.SpaceTypeCode == "":
			return &mews.InputError{Operation: op, Field: field, Reason: "needs both ratePlanCode and spaceTypeCode"}
		case seen[m]:
			return &mews.InputError{Operation: op, Field: field, Reason: fmt.Sprintf("repeats %s × %s", m.RatePlanCode, m.SpaceTypeCode)}
		}
		seen[m] = true
	}
	in := struct {
		InventoryMappings []InventoryMapping `json:"inventoryMappings"`
	}{p.Mappings}
	if in.InventoryMappings == nil {
		in.InventoryMappings = []InventoryMapping{}
	}
	// The mapping is one state per connection: every setInventory supersedes the last.
	return h.CallChannelManager(ctx, mews.Operation{Name: op, Safety: mews.IdempotentWrite, Supersedes: op}, in, nil)
}

// AriType is a kind of inventory data.
type AriType int

// ARI types.
const (
	AriAvailability AriType = 1
	AriPrices       AriType = 2
	AriRestrictions AriType = 3
)

// String names the ARI type.
func (t AriType) String() string {
	return wire.Name("AriType", []string{"", "Availability", "Prices", "Restrictions"}, int(t))
}

// AriUpdateRequest asks for a full push of availability, prices and restrictions.
type AriUpdateRequest struct {
	// From is the first date and To the last date, both inclusive.
	From mews.Date `json:"from"`
	To   mews.Date `json:"to"`
	// AriTypes, SpaceTypeCodes and RatePlanCodes narrow the request. Mews currently
	// ignores them and always sends everything.
	AriTypes       []AriType `json:"ariType,omitempty"`
	SpaceTypeCodes []string  `json:"spaceTypeCodes,omitempty"`
	RatePlanCodes  []string  `json:"ratePlanCodes,omitempty"`
}

// RequestAriUpdate asks Mews to push availability, prices and restrictions for
// req.From…req.To, both dates inclusive (requestAriUpdate). The answer only says the
// request was accepted: the data arrives later, in Mews' next update cycle, at the
// channel manager's own updateAvailability, updatePrices and updateRestrictions
// endpoints (see package channelmanager/inbound), not in this call's response.
func RequestAriUpdate(ctx context.Context, h mews.ChannelManagerCaller, req AriUpdateRequest) error {
	const op = "requestAriUpdate"
	if h == nil {
		return noHandle(op)
	}
	if !req.From.IsValid() || !req.To.IsValid() || req.To.Before(req.From) {
		return &mews.InputError{Operation: op, Field: "from/to", Reason: "must be real dates with from on or before to (both inclusive)"}
	}
	// Asking twice only makes Mews push the same data again: an idempotent write.
	return h.CallChannelManager(ctx, mews.Operation{Name: op, Safety: mews.IdempotentWrite}, req, nil)
}
