package mewstest

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// cmGroup is a stored reservation group.
type cmGroup struct {
	StoredGroup
	numbers map[string]string // reservation code → confirmation number
}

// StoredGroup is the state of a reservation group after the messages the server
// accepted for it (processGroup), keyed by its channelManagerId.
type StoredGroup struct {
	PropertyID       string
	ChannelManagerID string
	ChannelID        string
	MessageID        string // of the last accepted message
	Messages         int    // accepted messages for the group
	Canceled         bool   // every reservation is canceled
	Reservations     []StoredReservation
	// Body is the last accepted message without its tokens; decode it into
	// channelmanager.Group to inspect it.
	Body json.RawMessage
}

// StoredReservation is one reservation of a StoredGroup. A reservation left out of a
// later message is canceled, as Mews does.
type StoredReservation struct {
	Code               string
	ConfirmationNumber string // assigned by the server, stable across messages
	SpaceTypeCode      string
	RatePlanCode       string
	From, To           string
	Canceled           bool
}

// groupWire is what the server reads from a processGroup message.
type groupWire struct {
	MessageID        string          `json:"messageId"`
	ChannelID        string          `json:"channelId"`
	ChannelManagerID string          `json:"channelManagerId"`
	CurrencyCode     string          `json:"currencyCode"`
	TotalAmount      json.RawMessage `json:"totalAmount"`
	PaymentType      int             `json:"paymentType"`
	Customer         *struct {
		LastName string `json:"lastName"`
	} `json:"customer"`
	PaymentCard *struct {
		Number     string `json:"number"`
		ExpireDate string `json:"expireDate"`
		CVV        string `json:"cvv"`
		Type       int    `json:"type"`
	} `json:"paymentCard"`
	Sources []struct {
		Code *int   `json:"code"`
		Name string `json:"name"`
		Type int    `json:"type"`
	} `json:"sources"`
	Reservations []struct {
		Code          string `json:"code"`
		State         int    `json:"state"`
		From          string `json:"from"`
		To            string `json:"to"`
		SpaceTypeCode string `json:"spaceTypeCode"`
		RatePlanCode  string `json:"ratePlanCode"`
		GuestCounts   []struct {
			Count int `json:"count"`
		} `json:"guestCounts"`
		Amounts []struct {
			Net   *json.Number `json:"net"`
			Gross *json.Number `json:"gross"`
		} `json:"amounts"`
	} `json:"reservations"`
}

// cancels reports whether the message cancels the whole group.
func (g *groupWire) cancels() bool {
	for _, r := range g.Reservations {
		if r.State != 3 {
			return false
		}
	}
	return true
}

// validate checks a group like Mews: code 6 for malformed messages, code 7 for
// business rules (dates, negative prices, unknown mapping codes).
func (g *groupWire) validate(cfg *cmConfiguration) error {
	switch {
	case g.MessageID == "":
		return validation("Missing 'messageId'.")
	case g.ChannelID == "":
		return validation("Missing 'channelId'.")
	case g.ChannelManagerID == "":
		return validation("Missing 'channelManagerId'.")
	}
	if !g.cancels() {
		switch {
		case len(g.CurrencyCode) != 3:
			return validation("Missing or invalid 'currencyCode'.")
		case len(g.TotalAmount) == 0 || string(g.TotalAmount) == "null":
			return validation("Missing 'totalAmount'.")
		case g.PaymentType < 1 || g.PaymentType > 3:
			return validation("Missing or invalid 'paymentType'.")
		case g.Customer == nil || g.Customer.LastName == "":
			return validation("Missing 'customer.lastName'.")
		}
	}
	if c := g.PaymentCard; c != nil {
		if c.Number == "" || strings.Trim(c.Number, "0123456789") != "" || len(c.ExpireDate) != 4 || c.CVV == "000" || c.Type < 1 || c.Type > 13 {
			return validation("Invalid 'paymentCard'.")
		}
	}
	seen := map[string]bool{}
	for _, r := range g.Reservations {
		if r.Code == "" || r.Code == "_" || seen[r.Code] {
			return validation("Reservation codes must be present and unique within the group.")
		}
		seen[r.Code] = true
		if r.State == 3 {
			continue
		}
		from, ok1 := parseDate(r.From)
		to, ok2 := parseDate(r.To)
		switch {
		case !ok1 || !ok2 || len(r.GuestCounts) == 0:
			return validation("Reservation '%s' needs 'from', 'to' and 'guestCounts'.", r.Code)
		case !from.Before(to):
			return processing("Reservation '%s' starts on or after its end.", r.Code)
		case !hasCode(cfg.spaceCategories, r.SpaceTypeCode):
			return processing("There is no space type with mapping code '%s'.", r.SpaceTypeCode)
		case !hasCode(cfg.ratePlans, r.RatePlanCode):
			return processing("There is no rate plan with mapping code '%s'.", r.RatePlanCode)
		case len(r.Amounts) > 0 && len(r.Amounts) != int(to.Sub(from).Hours()/24):
			return processing("Reservation '%s' has %d amounts for %d nights.", r.Code, len(r.Amounts), int(to.Sub(from).Hours()/24))
		}
		for _, a := range r.Amounts {
			if a.Net != nil && strings.HasPrefix(string(*a.Net), "-") || a.Gross != nil && strings.HasPrefix(string(*a.Gross), "-") {
				return processing("Reservation '%s' has a negative night price.", r.Code)
			}
		}
	}
	return nil
}

// cmProcessGroup validates and stores a reservation group (the reservation push URL).
func (s *Server) cmProcessGroup(r *Request) (any, error) {
	var g groupWire
	if err := r.Decode(&g); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.channelManager
	if err := g.validate(&st.config); err != nil {
		return nil, err
	}
	for _, src := range g.Sources {
		if src.Code == nil && src.Name != "" {
			st.addChannel(src.Name)
		}
	}
	byID := st.groups[r.PropertyID]
	if byID == nil {
		byID = make(map[string]*cmGroup)
		st.groups[r.PropertyID] = byID
	}
	stored := byID[g.ChannelManagerID]
	if stored == nil {
		stored = &cmGroup{numbers: make(map[string]string)}
		byID[g.ChannelManagerID] = stored
	}
	stored.PropertyID, stored.ChannelManagerID, stored.ChannelID = r.PropertyID, g.ChannelManagerID, g.ChannelID
	stored.MessageID, stored.Body = g.MessageID, withoutTokens(r.Body)
	stored.Messages++
	present := make(map[string]bool, len(g.Reservations))
	var res []StoredReservation
	for _, gr := range g.Reservations {
		present[gr.Code] = true
		num, ok := stored.numbers[gr.Code]
		if !ok {
			st.seq++
			num = fmt.Sprintf("MT-%06d", st.seq)
			stored.numbers[gr.Code] = num
		}
		res = append(res, StoredReservation{Code: gr.Code, ConfirmationNumber: num, SpaceTypeCode: gr.SpaceTypeCode,
			RatePlanCode: gr.RatePlanCode, From: gr.From, To: gr.To, Canceled: gr.State == 3})
	}
	for _, old := range stored.Reservations {
		if !present[old.Code] {
			old.Canceled = true
			res = append(res, old)
		}
	}
	stored.Reservations = res
	stored.Canceled = true
	for _, sr := range res {
		stored.Canceled = stored.Canceled && sr.Canceled
	}
	return nil, nil
}

// addChannel appends a channel that a certified channel manager introduced through a
// group's source with a null code. Caller holds s.mu.
func (st *channelManagerState) addChannel(name string) {
	last := 0
	for _, c := range st.config.channels {
		if strings.EqualFold(c.Name, name) {
			return
		}
		last = max(last, c.Code)
	}
	st.config.channels = append(st.config.channels, channelWire{Code: last + 1, Name: name})
}

// withoutTokens returns a body with clientToken and connectionToken removed.
func withoutTokens(body []byte) json.RawMessage {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return nil
	}
	delete(m, "clientToken")
	delete(m, "connectionToken")
	b, _ := json.Marshal(m)
	return b
}

// Group returns the stored state of the group with this channelManagerId, on any property.
func (s *Server) Group(channelManagerID string) (StoredGroup, bool) {
	for _, g := range s.Groups() {
		if g.ChannelManagerID == channelManagerID {
			return g, true
		}
	}
	return StoredGroup{}, false
}

// Groups returns every stored group, ordered by property and channelManagerId.
func (s *Server) Groups() []StoredGroup {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []StoredGroup
	for _, byID := range s.channelManager.groups {
		for _, g := range byID {
			c := g.StoredGroup
			c.Reservations = append([]StoredReservation(nil), g.Reservations...)
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].PropertyID != out[j].PropertyID {
			return out[i].PropertyID < out[j].PropertyID
		}
		return out[i].ChannelManagerID < out[j].ChannelManagerID
	})
	return out
}

// cmBlock is a stored availability block.
type cmBlock struct{ StoredBlock }

// StoredBlock is the state of an availability block after the messages the server
// accepted for it (processAvailabilityBlock), keyed by the channel manager's code.
type StoredBlock struct {
	PropertyID         string
	Code               string
	ConfirmationNumber string // assigned by the server on creation
	Status             string // "Created", "Updated" or "Canceled"
	Name               string
	MessageID          string
	Messages           int
	Body               json.RawMessage // the last accepted message without tokens
}

// blockWire is what the server reads from a processAvailabilityBlock message.
type blockWire struct {
	MessageID         string `json:"messageId"`
	AvailabilityBlock *struct {
		Code               string `json:"code"`
		ConfirmationNumber string `json:"confirmationNumber"`
		Status             string `json:"status"`
		Name               string `json:"name"`
		Dates              struct {
			Start string `json:"start"`
			End   string `json:"end"`
		} `json:"dates"`
		ReleaseStrategy *struct {
			Type string `json:"type"`
		} `json:"releaseStrategy"`
		OriginalRateCode string `json:"originalRateCode"`
		SpaceCategories  []struct {
			SpaceTypeCode string `json:"spaceTypeCode"`
		} `json:"spaceCategories"`
		Booker *struct {
			LastName string `json:"lastName"`
		} `json:"booker"`
		PickupType string `json:"pickupType"`
	} `json:"availabilityBlock"`
}

// cmProcessAvailabilityBlock validates and stores a block (the block push URL).
func (s *Server) cmProcessAvailabilityBlock(r *Request) (any, error) {
	var in blockWire
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	b := in.AvailabilityBlock
	switch {
	case in.MessageID == "" || b == nil:
		return nil, validation("Missing 'messageId' or 'availabilityBlock'.")
	case b.Code == "" || b.Name == "" || b.OriginalRateCode == "" || b.ReleaseStrategy == nil || len(b.SpaceCategories) == 0:
		return nil, validation("Missing 'code', 'name', 'originalRateCode', 'releaseStrategy' or 'spaceCategories'.")
	case b.Booker == nil || b.Booker.LastName == "":
		return nil, validation("Missing 'booker.lastName'.")
	case !strings.EqualFold(b.PickupType, "AllInOneGroup") && !strings.EqualFold(b.PickupType, "IndividualGroups"):
		return nil, validation("Invalid 'pickupType'.")
	}
	status := ""
	for _, known := range []string{"Created", "Updated", "Canceled"} {
		if strings.EqualFold(b.Status, known) {
			status = known
		}
	}
	start, ok1 := parseDate(b.Dates.Start)
	end, ok2 := parseDate(b.Dates.End)
	switch {
	case status == "":
		return nil, validation("Invalid 'status' '%s'.", b.Status)
	case !ok1 || !ok2:
		return nil, validation("Invalid 'dates'.")
	case !start.Before(end):
		return nil, processing("The block starts on or after its end.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.channelManager
	for _, c := range b.SpaceCategories {
		if !hasCode(st.config.spaceCategories, c.SpaceTypeCode) {
			return nil, processing("There is no space type with mapping code '%s'.", c.SpaceTypeCode)
		}
	}
	byCode := st.blocks[r.PropertyID]
	if byCode == nil {
		byCode = make(map[string]*cmBlock)
		st.blocks[r.PropertyID] = byCode
	}
	stored := byCode[b.Code]
	switch {
	case status != "Created" && stored == nil:
		return nil, processing("There is no block with code '%s'.", b.Code)
	case status != "Created" && b.ConfirmationNumber != stored.ConfirmationNumber:
		return nil, processing("Block '%s' has confirmation number '%s'.", b.Code, stored.ConfirmationNumber)
	case stored == nil:
		st.seq++
		stored = &cmBlock{StoredBlock{PropertyID: r.PropertyID, Code: b.Code, ConfirmationNumber: fmt.Sprintf("B-%06d", st.seq)}}
		byCode[b.Code] = stored
	}
	stored.Status, stored.Name, stored.MessageID, stored.Body = status, b.Name, in.MessageID, withoutTokens(r.Body)
	stored.Messages++
	return nil, nil
}

// Block returns the stored state of the availability block with this code, on any property.
func (s *Server) Block(code string) (StoredBlock, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, byCode := range s.channelManager.blocks {
		if b, ok := byCode[code]; ok {
			return b.StoredBlock, true
		}
	}
	return StoredBlock{}, false
}
