package mews

import "github.com/mewskit/mews-go/internal/paging"

// Page sizes of the Connector's cursor pagination, for the PageSize field of a list's
// params.
const (
	// DefaultPageSize is the items per page a listing asks for when its PageSize is 0:
	// large enough to stay well inside the rate limit, small enough that Mews rarely
	// answers 408.
	DefaultPageSize = paging.DefaultPageSize
	// MaxPageSize is the most items per page Mews accepts; a larger PageSize is clamped.
	MaxPageSize = paging.MaxPageSize
)

// Pager walks a Connector listing page by page, following the top-level Cursor of each
// response, and across the time windows and id chunks the SDK split the listing into.
// When Mews answers 408 (the page was too heavy) the same page is asked again with half
// the count. List functions return one; range over All (items), Pages (responses) or
// call Collect. Nothing is sent until it is ranged over, every range starts from the
// beginning, and it may be ranged from several goroutines at once.
//
//	for r, err := range reservations.List(conn, reservations.ListParams{}).All(ctx) { … }
type Pager[T any] = paging.Pager[T]

// Page is one response of a listing: its Items, its Cursor, the Query (window or chunk)
// it belongs to and the Count it was asked with.
type Page[T any] = paging.Page[T]
