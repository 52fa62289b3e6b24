package properties

import (
	"encoding/json"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/listfilter"
)

// opResources is the Connector operation behind ListResources.
const opResources = "resources/getAll"

// Resource is a room, bed or other bookable space (Mews "resource").
type Resource struct {
	ID           string `json:"Id"`
	EnterpriseID string `json:"EnterpriseId"`
	// IsActive is false for a resource the hotel has taken out of its inventory.
	IsActive bool `json:"IsActive"`
	// ParentResourceID is the containing resource (the room of a bed), if any.
	ParentResourceID *string `json:"ParentResourceId"`
	// Name is what the hotel calls the resource, typically the room number ("101").
	Name  string        `json:"Name"`
	State ResourceState `json:"State"`
	// Descriptions, ExternalNames and Directions are texts by language code ("en-US").
	Descriptions  map[string]string `json:"Descriptions"`
	CreatedUtc    time.Time         `json:"CreatedUtc"`
	UpdatedUtc    time.Time         `json:"UpdatedUtc"`
	Data          ResourceData      `json:"Data"`
	ExternalNames map[string]string `json:"ExternalNames"`
	Directions    map[string]string `json:"Directions"`
}

// Floor returns the floor number of a space ("" for objects and people): where a
// door-lock system looks for the room.
func (r *Resource) Floor() string {
	if r.Data.Space != nil {
		return r.Data.Space.FloorNumber
	}
	return ""
}

// IsRoom is this SDK's one definition of a room, used by every count it shows: an
// active resource of the space kind that no other resource contains. A bed (a
// resource inside a dormitory) is not a room, nor is a deactivated space, an object
// or a person.
func (r *Resource) IsRoom() bool {
	return r.IsActive && r.Data.Discriminator == KindSpace && r.ParentResourceID == nil
}

// ResourceState is a resource's housekeeping state. Mews may add states; unknown values
// are kept as they came.
type ResourceState string

// Resource states.
const (
	ResourceDirty        ResourceState = "Dirty"
	ResourceClean        ResourceState = "Clean"
	ResourceInspected    ResourceState = "Inspected"
	ResourceOutOfService ResourceState = "OutOfService"
	ResourceOutOfOrder   ResourceState = "OutOfOrder"
)

// ResourceKind is the discriminator of a resource's data.
type ResourceKind string

// Resource kinds.
const (
	KindSpace  ResourceKind = "Space"
	KindObject ResourceKind = "Object"
	KindPerson ResourceKind = "Person"
)

// ResourceData is the kind-specific part of a resource: Mews' discriminated union
// {"Discriminator": kind, "Value": {...}}. Space is set for spaces; Value keeps the raw
// value of every kind.
type ResourceData struct {
	Discriminator ResourceKind    `json:"Discriminator"`
	Value         json.RawMessage `json:"Value"`
	Space         *SpaceData      `json:"-"`
}

// SpaceData describes where a space is.
type SpaceData struct {
	FloorNumber   string  `json:"FloorNumber"`
	LocationNotes *string `json:"LocationNotes"`
}

// UnmarshalJSON reads the union and decodes a space's value into Space.
func (d *ResourceData) UnmarshalJSON(b []byte) error {
	type plain ResourceData
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*d = ResourceData(p)
	if d.Discriminator == KindSpace && len(d.Value) > 0 && string(d.Value) != "null" {
		d.Space = new(SpaceData)
		if err := json.Unmarshal(d.Value, d.Space); err != nil {
			return err
		}
	}
	return nil
}

// ListResourcesParams selects resources for ListResources, and sets the page size.
// Empty fields are left out; the JSON tags are the request's.
type ListResourcesParams struct {
	EnterpriseIDs []string `json:"EnterpriseIds,omitempty"` // portfolio tokens: limit to these hotels, max 1000
	ResourceIDs   []string `json:"ResourceIds,omitempty"`   // max 1000
	Names         []string `json:"Names,omitempty"`         // e.g. room numbers, max 1000
	// IncludeInactive also returns resources the hotel has deactivated.
	IncludeInactive bool               `json:"-"`
	CreatedUtc      *mews.TimeInterval `json:"CreatedUtc,omitempty"` // split into three-month windows when longer
	UpdatedUtc      *mews.TimeInterval `json:"UpdatedUtc,omitempty"` // split into three-month windows when longer

	// PageSize is how many resources each request asks for: 0 means
	// mews.DefaultPageSize (500), more than mews.MaxPageSize (1000) is clamped.
	PageSize int `json:"-"`
}

// ListResources returns a pager over the hotel's rooms and other resources. Nothing is
// sent until the pager is ranged over; invalid params then yield a *mews.InputError
// first.
func ListResources(h mews.ConnectorCaller, p ListResourcesParams) *mews.Pager[Resource] {
	type extent struct {
		Resources bool `json:"Resources"`
		Inactive  bool `json:"Inactive"`
	}
	type request struct {
		ListResourcesParams
		Extent extent `json:"Extent"`
	}
	type result struct {
		Resources []Resource `json:"Resources"`
		Cursor    *string    `json:"Cursor"`
	}
	if err := listfilter.Check(opResources,
		listfilter.List{Field: "EnterpriseIds", Items: p.EnterpriseIDs, Max: maxListItems},
		listfilter.List{Field: "ResourceIds", Items: p.ResourceIDs, Max: maxListItems},
		listfilter.List{Field: "Names", Items: p.Names, Max: maxListItems},
	); err != nil {
		return listfilter.Fail[Resource](err)
	}
	queries, err := listfilter.Windows(opResources, "CreatedUtc",
		[]request{{ListResourcesParams: p, Extent: extent{Resources: true, Inactive: p.IncludeInactive}}},
		p.CreatedUtc, func(r *request, w *mews.TimeInterval) { r.CreatedUtc = w })
	if err == nil {
		queries, err = listfilter.Windows(opResources, "UpdatedUtc", queries, p.UpdatedUtc, func(r *request, w *mews.TimeInterval) { r.UpdatedUtc = w })
	}
	if err != nil {
		return listfilter.Fail[Resource](err)
	}
	return listfilter.Pager(h, listfilter.GetAll[request, result, Resource]{
		Operation: mews.Operation{Name: opResources, Safety: mews.Read},
		Queries:   queries,
		PageSize:  p.PageSize,
		Read:      func(res *result) ([]Resource, *string) { return res.Resources, res.Cursor },
		Normalize: func(r *Resource) { r.CreatedUtc, r.UpdatedUtc = r.CreatedUtc.UTC(), r.UpdatedUtc.UTC() },
		Key:       func(r Resource) string { return r.ID },
	})
}
