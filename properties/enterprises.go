package properties

import (
	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/listfilter"
)

// opEnterprises is the Connector operation behind ListEnterprises.
const opEnterprises = "enterprises/getAll"

// maxListItems is the most items Mews accepts in one list of a Connector filter.
const maxListItems = 1000

// ListEnterprisesParams selects enterprises for ListEnterprises, and sets the page
// size. Empty fields are left out; the JSON tags are the request's.
type ListEnterprisesParams struct {
	EnterpriseIDs       []string           `json:"EnterpriseIds,omitempty"`       // max 1000
	ExternalIdentifiers []string           `json:"ExternalIdentifiers,omitempty"` // max 1000
	LinkedUtc           *mews.TimeInterval `json:"LinkedUtc,omitempty"`           // when they joined the portfolio; split when longer than three months
	UpdatedUtc          *mews.TimeInterval `json:"UpdatedUtc,omitempty"`          // split when longer than three months

	// PageSize is how many enterprises each request asks for: 0 means
	// mews.DefaultPageSize (500), more than mews.MaxPageSize (1000) is clamped.
	PageSize int `json:"-"`
}

// ListEnterprises returns a pager over the enterprises (hotels) within the token's
// scope: every hotel of a portfolio token, or the one hotel of an ordinary token. The
// items carry LinkedUtc and no Currencies; call GetEnterpriseConfiguration for those.
func ListEnterprises(h mews.ConnectorCaller, p ListEnterprisesParams) *mews.Pager[Enterprise] {
	type result struct {
		Enterprises []Enterprise `json:"Enterprises"`
		Cursor      *string      `json:"Cursor"`
	}
	if err := listfilter.Check(opEnterprises,
		listfilter.List{Field: "EnterpriseIds", Items: p.EnterpriseIDs, Max: maxListItems},
		listfilter.List{Field: "ExternalIdentifiers", Items: p.ExternalIdentifiers, Max: maxListItems},
	); err != nil {
		return listfilter.Fail[Enterprise](err)
	}
	queries, err := listfilter.Windows(opEnterprises, "LinkedUtc", []ListEnterprisesParams{p},
		p.LinkedUtc, func(r *ListEnterprisesParams, w *mews.TimeInterval) { r.LinkedUtc = w })
	if err == nil {
		queries, err = listfilter.Windows(opEnterprises, "UpdatedUtc", queries, p.UpdatedUtc, func(r *ListEnterprisesParams, w *mews.TimeInterval) { r.UpdatedUtc = w })
	}
	if err != nil {
		return listfilter.Fail[Enterprise](err)
	}
	return listfilter.Pager(h, listfilter.GetAll[ListEnterprisesParams, result, Enterprise]{
		Operation: mews.Operation{Name: opEnterprises, Safety: mews.Read},
		Queries:   queries,
		PageSize:  p.PageSize,
		Read:      func(res *result) ([]Enterprise, *string) { return res.Enterprises, res.Cursor },
		Normalize: (*Enterprise).normalize,
		Key:       func(e Enterprise) string { return e.ID },
	})
}
