package mewstest

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/mewskit/mews-go"
)

// channelManagerState holds the seeded Channel Manager data (properties, connections,
// configuration, channels, pushed groups and blocks). It lives behind Server.mu.
type channelManagerState struct {
	config     cmConfiguration
	properties map[string]string              // property id → name
	inventory  map[string][]InventoryMapping  // connection token → mapping (absent: default)
	groups     map[string]map[string]*cmGroup // property id → channelManagerId → group
	blocks     map[string]map[string]*cmBlock // property id → block code → block
	seq        int                            // confirmation numbers
}

// registerChannelManager installs the built-in Channel Manager operations.
func (s *Server) registerChannelManager() {
	s.channelManager = channelManagerState{
		config:     seedConfiguration(),
		properties: map[string]string{PropertyID: PropertyName, "whh": "White House Hotel"},
		inventory:  make(map[string][]InventoryMapping),
		groups:     make(map[string]map[string]*cmGroup),
		blocks:     make(map[string]map[string]*cmBlock),
	}
	ops := map[string]ChannelManagerHandler{
		"getProperties":                        s.cmGetProperties,
		"getConfiguration":                     s.cmGetConfiguration,
		"getChannels":                          s.cmGetChannels,
		"setInventory":                         s.cmSetInventory,
		"requestAriUpdate":                     s.cmRequestAriUpdate,
		"processGroup":                         s.cmProcessGroup,
		"processAvailabilityBlock":             s.cmProcessAvailabilityBlock,
		"processAvailabilityConfirmation":      cmConfirmation(false, false),
		"processRateConfirmation":              cmConfirmation(false, false),
		"processRestrictionConfirmation":       cmConfirmation(false, false),
		"processAvailabilityBlockConfirmation": cmConfirmation(true, true),
		"processGroupConfirmation":             cmConfirmation(true, false),
	}
	for name, h := range ops {
		s.cmOps[name] = h
	}
}

// validation is Mews' code 6 (malformed request); processing is code 7 (business rule).
func validation(format string, args ...any) error {
	return ChannelManagerError(mews.CodeValidation, fmt.Sprintf(format, args...))
}

func processing(format string, args ...any) error {
	return ChannelManagerError(mews.CodeProcessing, fmt.Sprintf(format, args...))
}

// parseDate reads a yyyy-MM-dd date; ok is false for anything else.
func parseDate(s string) (time.Time, bool) {
	t, err := time.Parse("2006-01-02", s)
	return t, err == nil
}

// cmGetProperties lists the properties of the seeded employee with their live connections.
func (s *Server) cmGetProperties(r *Request) (any, error) {
	var in struct {
		Email string `json:"email"`
	}
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Email) == "" {
		return nil, validation("Missing 'email'.")
	}
	type connection struct {
		Token string `json:"token"`
		Name  string `json:"name,omitempty"`
	}
	type property struct {
		ID          string       `json:"id"`
		Name        string       `json:"name"`
		Connections []connection `json:"connections,omitempty"`
	}
	out := struct {
		Properties []property `json:"properties"`
	}{Properties: []property{}}
	if !strings.EqualFold(strings.TrimSpace(in.Email), EmployeeEmail) {
		return out, nil // an unknown employee can access nothing
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.channelManager.properties))
	for id := range s.channelManager.properties {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		p := property{ID: id, Name: s.channelManager.properties[id]}
		for tok, c := range s.connections {
			if c.owner == id && !c.revoked {
				p.Connections = append(p.Connections, connection{Token: tok, Name: connectionName(tok, c)})
			}
		}
		sort.Slice(p.Connections, func(i, j int) bool { return p.Connections[i].Token < p.Connections[j].Token })
		out.Properties = append(out.Properties, p)
	}
	return out, nil
}

// connectionName names a connection the way a property might.
func connectionName(token string, c *credential) string {
	switch {
	case token == ConnectionToken:
		return "Main connection"
	case c.inactive:
		return "Old connection (deactivated)"
	}
	return ""
}

// cmGetConfiguration returns the seeded configuration, filtered by the extent.
func (s *Server) cmGetConfiguration(r *Request) (any, error) {
	var in struct {
		Extent struct {
			IncludeUnsynchronizedRates      bool `json:"includeUnsynchronizedRates"`
			IncludeUnsynchronizedCategories bool `json:"includeUnsynchronizedCategories"`
			IncludeProducts                 bool `json:"includeProducts"`
			IncludeCompanies                bool `json:"includeCompanies"`
			IncludeAgeCategories            bool `json:"includeAgeCategories"`
		} `json:"extent"`
	}
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cfg := &s.channelManager.config
	name := s.channelManager.properties[r.PropertyID]
	if name == "" {
		name = r.PropertyID
	}
	var prop map[string]any
	_ = json.Unmarshal(cfg.property, &prop)
	prop["name"] = name
	ext := in.Extent
	out := struct {
		ConnectionToken   string             `json:"connectionToken"`
		Property          map[string]any     `json:"property"`
		SpaceCategories   []json.RawMessage  `json:"spaceCategories"`
		RatePlans         []json.RawMessage  `json:"ratePlans"`
		InventoryMappings []InventoryMapping `json:"inventoryMappings"`
		Products          json.RawMessage    `json:"products,omitempty"`
		ProductMappings   json.RawMessage    `json:"productMappings,omitempty"`
		Companies         json.RawMessage    `json:"companies,omitempty"`
		TravelAgencies    json.RawMessage    `json:"travelAgencies,omitempty"`
		AgeCategories     json.RawMessage    `json:"ageCategories,omitempty"`
	}{
		ConnectionToken:   r.ConnectionToken,
		Property:          prop,
		SpaceCategories:   filterItems(cfg.spaceCategories, ext.IncludeUnsynchronizedCategories),
		RatePlans:         filterItems(cfg.ratePlans, ext.IncludeUnsynchronizedRates),
		InventoryMappings: s.inventoryOf(r.ConnectionToken),
	}
	if ext.IncludeProducts {
		out.Products, out.ProductMappings = cfg.products, cfg.productMappings
	}
	if ext.IncludeCompanies {
		out.Companies, out.TravelAgencies = cfg.companies, cfg.travelAgencies
	}
	if ext.IncludeAgeCategories {
		out.AgeCategories = cfg.ageCategories
	}
	return out, nil
}

// filterItems returns the raw items, leaving out unsynchronized ones unless asked for.
func filterItems(items []cmItem, unsynchronized bool) []json.RawMessage {
	out := []json.RawMessage{}
	for _, it := range items {
		if it.IsSynchronized || unsynchronized {
			out = append(out, it.Raw)
		}
	}
	return out
}

// inventoryOf returns a connection's mapping. Caller holds s.mu.
func (s *Server) inventoryOf(connectionToken string) []InventoryMapping {
	if m, ok := s.channelManager.inventory[connectionToken]; ok {
		return append([]InventoryMapping{}, m...)
	}
	return defaultInventory()
}

// cmGetChannels lists the sales channels, including ones added through group sources.
func (s *Server) cmGetChannels(*Request) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return struct {
		Channels []channelWire `json:"channels"`
	}{append([]channelWire{}, s.channelManager.config.channels...)}, nil
}

// cmSetInventory replaces a connection's mapping; it cannot create rates or categories.
func (s *Server) cmSetInventory(r *Request) (any, error) {
	var in struct {
		InventoryMappings *[]InventoryMapping `json:"inventoryMappings"`
	}
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	if in.InventoryMappings == nil {
		return nil, validation("Missing 'inventoryMappings'.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cfg := &s.channelManager.config
	for _, m := range *in.InventoryMappings {
		switch {
		case !hasCode(cfg.ratePlans, m.RatePlanCode):
			return nil, processing("There is no rate plan with mapping code '%s'.", m.RatePlanCode)
		case !hasCode(cfg.spaceCategories, m.SpaceTypeCode):
			return nil, processing("There is no space type with mapping code '%s'.", m.SpaceTypeCode)
		}
	}
	s.channelManager.inventory[r.ConnectionToken] = append([]InventoryMapping{}, *in.InventoryMappings...)
	return nil, nil
}

// InventoryMappings returns the current rate plan × space category mapping of a
// connection, as setInventory left it.
func (s *Server) InventoryMappings(connectionToken string) []InventoryMapping {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inventoryOf(connectionToken)
}

// cmRequestAriUpdate accepts a request for a full ARI push (recorded; no push follows).
func (s *Server) cmRequestAriUpdate(r *Request) (any, error) {
	var in struct {
		From string `json:"from"`
		To   string `json:"to"`
	}
	if err := r.Decode(&in); err != nil {
		return nil, err
	}
	from, ok1 := parseDate(in.From)
	to, ok2 := parseDate(in.To)
	switch {
	case !ok1 || !ok2:
		return nil, validation("'from' and 'to' must be dates in the format yyyy-MM-dd.")
	case to.Before(from):
		return nil, processing("'from' must not be after 'to'.")
	}
	return nil, nil
}

// cmConfirmation validates an asynchronous confirmation like Mews: relatedMessageId and
// success are required; block and group confirmations also need their code on success,
// and block confirmations the block's confirmationNumber.
func cmConfirmation(needsCode, needsNumber bool) ChannelManagerHandler {
	return func(r *Request) (any, error) {
		var in struct {
			RelatedMessageID string          `json:"relatedMessageId"`
			Success          json.RawMessage `json:"success"`
			Code             json.RawMessage `json:"code"`
			Number           json.RawMessage `json:"confirmationNumber"`
		}
		if err := r.Decode(&in); err != nil {
			return nil, err
		}
		success := strings.Trim(string(in.Success), `"`)
		switch {
		case in.RelatedMessageID == "":
			return nil, validation("Missing 'relatedMessageId'.")
		case success != "true" && success != "false":
			return nil, validation("Missing or invalid 'success'.")
		case needsCode && success == "true" && missing(in.Code):
			return nil, validation("Missing 'code'.")
		case needsNumber && missing(in.Number):
			return nil, validation("Missing 'confirmationNumber'.")
		}
		return nil, nil
	}
}

// missing reports whether a JSON value is absent, null or empty.
func missing(v json.RawMessage) bool {
	return len(v) == 0 || string(v) == "null" || string(v) == `""`
}
