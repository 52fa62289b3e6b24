package properties

import (
	"context"
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

// ResourceFilter selects resources for ListResources. Empty fields are left out.
type ResourceFilter struct {
	EnterpriseIDs []string // portfolio tokens: limit to these hotels, max 1000
	ResourceIDs   []string // max 1000
	Names         []string // e.g. room numbers, max 1000
	// IncludeInactive also returns resources the hotel has deactivated.
	IncludeInactive bool
	CreatedUtc      *mews.TimeInterval // split into three-month windows when longer
	UpdatedUtc      *mews.TimeInterval // split into three-month windows when longer
}

// ListResources returns a pager over the hotel's rooms and other resources. Nothing is
// sent until the pager is ranged over; an invalid filter then yields a
// *mews.InputError first.
func ListResources(conn *mews.Connector, f ResourceFilter) *mews.Pager[Resource] {
	type extent struct {
		Resources bool `json:"Resources"`
		Inactive  bool `json:"Inactive"`
	}
	type request struct {
		EnterpriseIDs []string           `json:"EnterpriseIds,omitempty"`
		ResourceIDs   []string           `json:"ResourceIds,omitempty"`
		Names         []string           `json:"Names,omitempty"`
		Extent        extent             `json:"Extent"`
		CreatedUtc    *mews.TimeInterval `json:"CreatedUtc,omitempty"`
		UpdatedUtc    *mews.TimeInterval `json:"UpdatedUtc,omitempty"`
		Limitation    mews.Limitation    `json:"Limitation"`
	}
	type result struct {
		Resources []Resource `json:"Resources"`
		Cursor    *string    `json:"Cursor"`
	}
	if err := listfilter.Check(opResources,
		listfilter.List{Field: "EnterpriseIds", Items: f.EnterpriseIDs, Max: maxListItems},
		listfilter.List{Field: "ResourceIds", Items: f.ResourceIDs, Max: maxListItems},
		listfilter.List{Field: "Names", Items: f.Names, Max: maxListItems},
	); err != nil {
		return mews.ErrorPager[Resource](err)
	}
	queries, err := listfilter.Windows(opResources, "CreatedUtc",
		[]request{{
			EnterpriseIDs: f.EnterpriseIDs, ResourceIDs: f.ResourceIDs, Names: f.Names,
			Extent: extent{Resources: true, Inactive: f.IncludeInactive},
		}},
		f.CreatedUtc, func(r *request, w *mews.TimeInterval) { r.CreatedUtc = w })
	if err == nil {
		queries, err = listfilter.Windows(opResources, "UpdatedUtc", queries, f.UpdatedUtc, func(r *request, w *mews.TimeInterval) { r.UpdatedUtc = w })
	}
	if err != nil {
		return mews.ErrorPager[Resource](err)
	}
	return listPager(conn, opResources, len(queries), func(ctx context.Context, q int, lim mews.Limitation) ([]Resource, *string, error) {
		req := queries[q]
		req.Limitation = lim
		var res result
		if err := conn.CallConnector(ctx, mews.Operation{Name: opResources, Safety: mews.Read}, &req, &res); err != nil {
			return nil, nil, err
		}
		for i := range res.Resources {
			r := &res.Resources[i]
			r.CreatedUtc, r.UpdatedUtc = r.CreatedUtc.UTC(), r.UpdatedUtc.UTC()
		}
		return res.Resources, res.Cursor, nil
	}, func(r Resource) string { return r.ID })
}
