package properties

import (
	"context"
	"fmt"
	"strings"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/chm"
)

// PropertyInfo is a property an employee can access, with the connections of the
// channel manager's clientToken to it.
type PropertyInfo struct {
	ID          string           `json:"id"`
	Name        string           `json:"name"`
	Connections []ConnectionInfo `json:"connections,omitempty"`
}

// ConnectionInfo is one Channel Manager connection to a property. Token is the
// connectionToken (redacted when printed, logged or marshalled; Reveal it to store it).
type ConnectionInfo struct {
	Token mews.Token `json:"token"`
	Name  string     `json:"name,omitempty"`
}

// GetProperties returns every property that the employee with this email can access,
// with the connection tokens of the client's clientToken (getProperties). Mews treats
// the verified employee email as the authorization, so this is how a channel manager
// discovers connection tokens without asking the property. Open a connection with
// client.ChannelManager(info.Token.Reveal()), and store tokens only revealed on purpose.
func GetProperties(ctx context.Context, client *mews.Client, email string) ([]PropertyInfo, error) {
	const op = "getProperties"
	email = strings.TrimSpace(email)
	if at := strings.IndexByte(email, '@'); at <= 0 || at == len(email)-1 || strings.ContainsAny(email, " \t\r\n") {
		return nil, &mews.InputError{Operation: op, Field: "email", Reason: "must be the email address of a verified employee of the property"}
	}
	in := struct {
		Email string `json:"email"`
	}{email}
	var out struct {
		Properties []PropertyInfo `json:"properties"`
	}
	if err := client.CallChannelManagerClient(ctx, mews.Operation{Name: op, Safety: mews.Read}, in, &out); err != nil {
		return nil, err
	}
	return out.Properties, nil
}

// GetPropertyConfiguration returns the connection's configuration (getConfiguration):
// the property, space categories, rate plans with cancellation policies and inventory
// mappings, plus whatever extent asks for. Call it after a change notification, and to
// validate a connection token (code 3 gives mews.ErrConnectionNotFound, code 8
// mews.ErrInvalidAuthentication).
func GetPropertyConfiguration(ctx context.Context, cm *mews.ChannelManager, extent ConfigurationExtent) (*PropertyConfiguration, error) {
	const op = "getConfiguration"
	in := struct {
		Extent ConfigurationExtent `json:"extent"`
	}{extent}
	var cfg PropertyConfiguration
	if err := cm.CallChannelManager(ctx, mews.Operation{Name: op, Safety: mews.Read}, in, &cfg); err != nil {
		return nil, err
	}
	return &cfg, nil
}

// GetChannels returns every sales channel Mews knows with its code (getChannels). Codes
// have gaps and new channels are appended; refresh the list periodically.
func GetChannels(ctx context.Context, client *mews.Client) ([]Channel, error) {
	const op = "getChannels"
	var out struct {
		Channels []Channel `json:"channels"`
	}
	if err := client.CallChannelManagerClient(ctx, mews.Operation{Name: op, Safety: mews.Read}, nil, &out); err != nil {
		return nil, err
	}
	return out.Channels, nil
}

// InventoryOption adjusts SetInventory.
type InventoryOption func(*inventorySettings)

type inventorySettings struct{ allowEmpty bool }

// DeleteAllMappings lets SetInventory send an empty list, which deletes every rate plan ×
// space category mapping of the connection.
func DeleteAllMappings() InventoryOption {
	return func(s *inventorySettings) { s.allowEmpty = true }
}

// SetInventory REPLACES the connection's whole rate plan × space category mapping
// (setInventory): every pair that exists in Mews but is missing from mappings is
// deleted. It can combine existing rates and categories, but cannot create either.
//
// Because an empty list would delete every mapping, SetInventory refuses one and sends
// nothing (*mews.InputError) unless DeleteAllMappings is given. Pairs with an empty code
// or given twice are refused too.
func SetInventory(ctx context.Context, cm *mews.ChannelManager, mappings []InventoryMapping, opts ...InventoryOption) error {
	const op = "setInventory"
	var set inventorySettings
	for _, o := range opts {
		o(&set)
	}
	if len(mappings) == 0 && !set.allowEmpty {
		return &mews.InputError{Operation: op, Field: "inventoryMappings", Reason: "is empty, which would delete every mapping of the connection; pass properties.DeleteAllMappings() if that is what you want"}
	}
	seen := make(map[InventoryMapping]bool, len(mappings))
	for i, m := range mappings {
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
	}{mappings}
	if in.InventoryMappings == nil {
		in.InventoryMappings = []InventoryMapping{}
	}
	// The call sets the complete mapping, so sending it twice gives the same result.
	return cm.CallChannelManager(ctx, mews.Operation{Name: op, Safety: mews.IdempotentWrite}, in, nil)
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
	return chm.Name("AriType", []string{"", "Availability", "Prices", "Restrictions"}, int(t))
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
// endpoints (see package inbound), not in this call's response.
func RequestAriUpdate(ctx context.Context, cm *mews.ChannelManager, req AriUpdateRequest) error {
	const op = "requestAriUpdate"
	if !req.From.IsValid() || !req.To.IsValid() || req.To.Before(req.From) {
		return &mews.InputError{Operation: op, Field: "from/to", Reason: "must be real dates with from on or before to (both inclusive)"}
	}
	// Asking twice only makes Mews push the same data again: an idempotent write.
	return cm.CallChannelManager(ctx, mews.Operation{Name: op, Safety: mews.IdempotentWrite}, req, nil)
}
