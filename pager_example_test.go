package mews_test

import (
	"context"
	"fmt"
	"iter"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/mewstest"
)

// A Pager pages through any Connector listing, including operations the SDK does not
// wrap yet: the PageFunc makes one typed call through Connector.CallConnector and returns the
// items and the response's top-level Cursor.
func ExampleNewPager() {
	srv := mewstest.NewServer(mewstest.InProcess())
	defer srv.Close()
	conn, _ := srv.Connector(mewstest.AccessToken)

	type room struct {
		ID   string `json:"Id"`
		Name string `json:"Name"`
	}
	rooms := mews.NewPager(mews.PagerConfig[room]{
		Operation: "resources/getAll",
		Fetch: func(ctx context.Context, _ int, lim mews.Limitation) ([]room, *string, error) {
			in := map[string]any{"Extent": map[string]bool{"Resources": true}, "Names": []string{"101", "102", "103"}, "Limitation": lim}
			var out struct {
				Resources []room
				Cursor    *string
			}
			err := conn.CallConnector(ctx, mews.Operation{Name: "resources/getAll", Safety: mews.Read}, in, &out)
			return out.Resources, out.Cursor, err
		},
	}).PageSize(2)

	// Page by page, pulled by hand.
	next, stop := iter.Pull2(rooms.Pages(context.Background()))
	defer stop()
	for {
		page, err, ok := next()
		if !ok || err != nil {
			break
		}
		for _, r := range page.Items {
			fmt.Print(r.Name, " ")
		}
		fmt.Println("(page of", page.Count, "asked)")
	}
	// Output:
	// 101 102 (page of 2 asked)
	// 103 (page of 2 asked)
}
