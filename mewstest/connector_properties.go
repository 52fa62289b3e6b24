package mewstest

import (
	"time"

	"github.com/mewskit/mews-go"
)

// enterpriseWire is Mews' Enterprise (configuration/get) and, with LinkedUtc and
// without the configuration-only fields, the enterprises/getAll item.
type enterpriseWire struct {
	Id                                 string
	ExternalIdentifier, HoldingKey     *string
	ChainId, ChainName                 string
	CreatedUtc, UpdatedUtc             time.Time
	Name                               string
	ShortName                          *string
	TimeZoneIdentifier                 string
	LegalEnvironmentCode               string
	AccommodationEnvironmentCode       *string
	AccountingEnvironmentCode          *string
	TaxEnvironmentCode                 *string
	DefaultLanguageCode                string
	EditableHistoryInterval            string
	AccountingEditableHistoryInterval  string
	OperationalEditableHistoryInterval string
	BusinessDayClosingOffset           *string
	WebsiteUrl, Email, Phone           *string
	LogoImageId, CoverImageId          *string
	Pricing                            string
	TaxPrecision                       *int
	AddressId                          string
	Address                            struct {
		Id                                                                  string
		Line1, Line2, City, PostalCode, CountryCode, CountrySubdivisionCode *string
		Latitude, Longitude                                                 *float64
	}
	GroupNames   []string
	Subscription struct{ TaxIdentifier *string }
	Currencies   []struct {
		Currency             string
		IsDefault, IsEnabled bool
	} `json:",omitempty"`
	IsPortfolio *bool      `json:",omitempty"`
	LinkedUtc   *time.Time `json:",omitempty"`
}

// enterprise renders one of the seeded enterprises (or the portfolio placeholder).
func enterprise(id string) (enterpriseWire, bool) {
	names := map[string]string{EnterpriseID: EnterpriseName, SecondEnterpriseID: SecondEnterpriseName, PortfolioID: "Mewstest Portfolio"}
	name, ok := names[id]
	if !ok {
		return enterpriseWire{}, false
	}
	created := SeedEpoch().AddDate(-3, 0, 0)
	e := enterpriseWire{
		Id: id, ChainId: "c4a10000-0000-4000-8000-000000000001", ChainName: "Mewstest Hotels",
		CreatedUtc: created, UpdatedUtc: created.AddDate(1, 0, 0), Name: name,
		TimeZoneIdentifier: EnterpriseTimeZone, LegalEnvironmentCode: "NL", DefaultLanguageCode: "en-US",
		EditableHistoryInterval: "P0M7DT0H0M0S", AccountingEditableHistoryInterval: "P0M7DT0H0M0S",
		OperationalEditableHistoryInterval: "P0M5DT0H0M0S", Pricing: "Gross",
		AddressId: "add2e550-0000-4000-8000-000000000001", GroupNames: []string{"Mewstest Group"},
		Email: strOrNil("frontdesk@mewstest.example"),
	}
	e.Address.Id = e.AddressId
	e.Address.City, e.Address.CountryCode = strOrNil("Amsterdam"), strOrNil("NL")
	return e, true
}

// configurationGet serves configuration/get.
func (s *Server) configurationGet(req *Request) (any, error) {
	var in struct {
		auth
		EnterpriseId *string
	}
	if err := decodeStrict(req, &in); err != nil {
		return nil, err
	}
	id := req.EnterpriseID
	if in.EnterpriseId != nil && req.EnterpriseID == PortfolioID {
		if !contains(enterpriseScope(PortfolioID), *in.EnterpriseId) {
			return nil, badRequest("EnterpriseId", "the enterprise is not in the token's portfolio.")
		}
		id = *in.EnterpriseId
	}
	e, ok := enterprise(id)
	if !ok {
		return nil, badRequest("AccessToken", "unknown enterprise.")
	}
	portfolio := id == PortfolioID
	e.IsPortfolio = &portfolio
	e.Currencies = append(e.Currencies, struct {
		Currency             string
		IsDefault, IsEnabled bool
	}{"EUR", true, true}, struct {
		Currency             string
		IsDefault, IsEnabled bool
	}{"USD", false, true})
	return struct {
		NowUtc                           time.Time
		Enterprise                       enterpriseWire
		Service                          any
		PaymentCardStorage               any
		IsIdentityDocumentNumberRequired bool
	}{NowUtc: req.Time.UTC().Truncate(time.Second), Enterprise: e}, nil
}

// enterprisesGetAll serves enterprises/getAll: the hotels a token may read.
func (s *Server) enterprisesGetAll(req *Request) (any, error) {
	var in struct {
		auth
		EnterpriseIds, ExternalIdentifiers []string
		LinkedUtc, UpdatedUtc              *mews.TimeInterval
		Limitation                         *limitation
	}
	if err := decodeStrict(req, &in); err != nil {
		return nil, err
	}
	for _, err := range []error{
		checkIDs("EnterpriseIds", in.EnterpriseIds, 1000), checkIDs("ExternalIdentifiers", in.ExternalIdentifiers, 1000),
		checkInterval("LinkedUtc", in.LinkedUtc), checkInterval("UpdatedUtc", in.UpdatedUtc),
	} {
		if err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.connectorData()
	var hits []enterpriseWire
	for _, id := range enterpriseScope(req.EnterpriseID) {
		e, _ := enterprise(id)
		linked := e.CreatedUtc.AddDate(0, 6, 0)
		e.LinkedUtc = &linked
		if (len(in.EnterpriseIds) == 0 || contains(in.EnterpriseIds, id)) && len(in.ExternalIdentifiers) == 0 &&
			(in.LinkedUtc == nil || in.LinkedUtc.Contains(linked)) && (in.UpdatedUtc == nil || in.UpdatedUtc.Contains(e.UpdatedUtc)) {
			if _, placed := c.order[id]; !placed {
				c.place(id)
			}
			hits = append(hits, e)
		}
	}
	items, cursor, err := page(c, in.Limitation, hits, func(e enterpriseWire) string { return e.Id })
	if err != nil {
		return nil, err
	}
	return struct {
		Enterprises []enterpriseWire
		Cursor      *string
	}{items, cursor}, nil
}

// resourcesGetAll serves resources/getAll: rooms, beds and spaces.
func (s *Server) resourcesGetAll(req *Request) (any, error) {
	var in struct {
		auth
		EnterpriseIds, ResourceIds, Names []string
		Extent                            *struct {
			Resources, Inactive                                                            *bool
			ResourceCategories, ResourceCategoryAssignments                                *bool
			ResourceCategoryImageAssignments, ResourceFeatures, ResourceFeatureAssignments *bool
		}
		CreatedUtc, UpdatedUtc *mews.TimeInterval
		Limitation             *limitation
	}
	if err := decodeStrict(req, &in); err != nil {
		return nil, err
	}
	if in.Extent == nil {
		return nil, badRequest("Extent", "Extent is required.")
	}
	for _, err := range []error{
		checkIDs("EnterpriseIds", in.EnterpriseIds, 1000), checkIDs("ResourceIds", in.ResourceIds, 1000),
		checkIDs("Names", in.Names, 1000), checkInterval("CreatedUtc", in.CreatedUtc), checkInterval("UpdatedUtc", in.UpdatedUtc),
	} {
		if err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.connectorData()
	scope := inScope(req.EnterpriseID, in.EnterpriseIds)
	wantResources := in.Extent.Resources != nil && *in.Extent.Resources
	inactive := in.Extent.Inactive != nil && *in.Extent.Inactive
	var hits []*Room
	for _, r := range c.rooms {
		if wantResources && scope[r.EnterpriseID] && (r.IsActive || inactive) &&
			(len(in.ResourceIds) == 0 || contains(in.ResourceIds, r.ID)) && (len(in.Names) == 0 || contains(in.Names, r.Name)) &&
			(in.CreatedUtc == nil || in.CreatedUtc.Contains(r.CreatedUtc)) && (in.UpdatedUtc == nil || in.UpdatedUtc.Contains(r.UpdatedUtc)) {
			hits = append(hits, r)
		}
	}
	items, cursor, err := page(c, in.Limitation, hits, func(r *Room) string { return r.ID })
	if err != nil {
		return nil, err
	}
	type localized map[string]string
	type resourceWire struct {
		Id, EnterpriseId       string
		IsActive               bool
		ParentResourceId       *string
		Name, State            string
		Descriptions           localized
		CreatedUtc, UpdatedUtc time.Time
		Data                   struct {
			Discriminator string
			Value         any
		}
		ExternalNames, Directions localized
	}
	out := struct {
		Resources                                                                      []resourceWire
		ResourceCategories, ResourceCategoryAssignments                                any
		ResourceCategoryImageAssignments, ResourceFeatures, ResourceFeatureAssignments any
		Cursor                                                                         *string
	}{Resources: make([]resourceWire, len(items)), Cursor: cursor}
	for i, r := range items {
		w := resourceWire{
			Id: r.ID, EnterpriseId: r.EnterpriseID, IsActive: r.IsActive, ParentResourceId: strOrNil(r.ParentID),
			Name: r.Name, State: r.State, Descriptions: localized{"en-US": "Room " + r.Name},
			CreatedUtc: r.CreatedUtc.UTC(), UpdatedUtc: r.UpdatedUtc.UTC(),
			ExternalNames: localized{"en-US": r.Name}, Directions: localized{},
		}
		if r.ParentID != "" {
			w.Data.Discriminator, w.Data.Value = "Object", struct{}{}
		} else {
			w.Data.Discriminator = "Space"
			w.Data.Value = struct {
				FloorNumber   string
				LocationNotes *string
			}{r.Floor, nil}
		}
		out.Resources[i] = w
	}
	return out, nil
}
