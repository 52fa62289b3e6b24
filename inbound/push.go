package inbound

import "encoding/json"

// AvailabilityBlockPush is the body of processAvailabilityBlock. (placeholder)
type AvailabilityBlockPush struct {
	Message
	AvailabilityBlock json.RawMessage `json:"availabilityBlock"`
}

// GroupPush is the body of processGroup. (placeholder)
type GroupPush struct {
	Message
}

func (*AvailabilityBlockPush) confirmation() string { return "processAvailabilityBlockConfirmation" }
func (*GroupPush) confirmation() string             { return "processGroupConfirmation" }

func (p *AvailabilityBlockPush) confirmationNumber() string { return "" }
