package properties

import (
	"context"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/listfilter"
)

// opEnterprises is the Connector operation behind ListEnterprises.
const opEnterprises = "enterprises/getAll"

// maxListItems is the most items Mews accepts in one list of a Connector filter.
const maxListItems = 1000

// EnterpriseFilter selects enterprises for ListEnterprises. Empty fields are left out.
type EnterpriseFilter struct {
	EnterpriseIDs       []string           // max 1000
	ExternalIdentifiers []string           // max 1000
	LinkedUtc           *mews.TimeInterval // when they joined the portfolio; split when longer than three months
	UpdatedUtc          *mews.TimeInterval // split when longer than three months
}

// ListEnterprises returns a pager over the enterprises (hotels) within the token's
// scope: every hotel of a portfolio token, or the one hotel of an ordinary token. The
// items carry LinkedUtc and no Currencies; call GetEnterpriseConfiguration for those.
func ListEnterprises(conn *mews.Connector, f EnterpriseFilter) *mews.Pager[Enterprise] {
	type request struct {
		EnterpriseIDs       []string           `json:"EnterpriseIds,omitempty"`
		ExternalIdentifiers []string           `json:"ExternalIdentifiers,omitempty"`
		LinkedUtc           *mews.TimeInterval `json:"LinkedUtc,omitempty"`
		UpdatedUtc          *mews.TimeInterval `json:"UpdatedUtc,omitempty"`
		Limitation          mews.Limitation    `json:"Limitation"`
	}
	type result struct {
		Enterprises []Enterprise `json:"Enterprises"`
		Cursor      *string      `json:"Cursor"`
	}
	if err := listfilter.Check(opEnterprises,
		listfilter.List{Field: "EnterpriseIds", Items: f.EnterpriseIDs, Max: maxListItems},
		listfilter.List{Field: "ExternalIdentifiers", Items: f.ExternalIdentifiers, Max: maxListItems},
	); err != nil {
		return mews.ErrorPager[Enterprise](err)
	}
	queries, err := listfilter.Windows(opEnterprises, "LinkedUtc",
		[]request{{EnterpriseIDs: f.EnterpriseIDs, ExternalIdentifiers: f.ExternalIdentifiers}},
		f.LinkedUtc, func(r *request, w *mews.TimeInterval) { r.LinkedUtc = w })
	if err == nil {
		queries, err = listfilter.Windows(opEnterprises, "UpdatedUtc", queries, f.UpdatedUtc, func(r *request, w *mews.TimeInterval) { r.UpdatedUtc = w })
	}
	if err != nil {
		return mews.ErrorPager[Enterprise](err)
	}
	return listPager(conn, opEnterprises, len(queries), func(ctx context.Context, q int, lim mews.Limitation) ([]Enterprise, *string, error) {
		req := queries[q]
		req.Limitation = lim
		var res result
		if err := conn.CallConnector(ctx, mews.Operation{Name: opEnterprises, Safety: mews.Read}, &req, &res); err != nil {
			return nil, nil, err
		}
		for i := range res.Enterprises {
			res.Enterprises[i].normalize()
		}
		return res.Enterprises, res.Cursor, nil
	}, func(e Enterprise) string { return e.ID })
}

// listPager builds the pager of a Connector list over queries (time windows).
func listPager[T any](conn *mews.Connector, op string, queries int, fetch mews.PageFunc[T], key func(T) string) *mews.Pager[T] {
	if conn == nil {
		return mews.ErrorPager[T](&mews.InputError{Operation: op, Field: "conn", Reason: "is nil; pass a *mews.Connector from Client.Connector"})
	}
	return mews.NewPager(mews.PagerConfig[T]{Operation: op, Queries: queries, Fetch: fetch, Key: key})
}
