package mewstest_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/mewstest"
)

func specConnector(t *testing.T) *mews.Connector {
	t.Helper()
	srv := mewstest.NewServer(mewstest.WithInProcess())
	t.Cleanup(srv.Close)
	client, err := srv.NewClient(mews.WithoutRateLimit())
	if err != nil {
		t.Fatal(err)
	}
	conn, err := client.Connector(mewstest.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	return conn
}

// An operation the server has no stateful handler for is answered with the spec's
// response example.
func TestSpecOperationsAnswerWithTheExample(t *testing.T) {
	conn := specConnector(t)
	var out struct{ Countries []struct{ Code string } }
	if err := conn.CallConnector(context.Background(), mews.Operation{Name: "countries/getAll", Safety: mews.Read}, nil, &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Countries) == 0 || out.Countries[0].Code == "" {
		t.Errorf("countries = %+v, want the spec's example", out)
	}
}

// Requests are checked against the operation's schema: Mews' 400 names the field.
func TestSpecOperationsRefuseInvalidRequestsNamingTheField(t *testing.T) {
	conn := specConnector(t)
	many := make([]string, 1001)
	for i := range many {
		many[i] = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
	}
	for _, tc := range []struct {
		name, op, field string
		in              map[string]any
	}{
		{"missing required field", "companies/add", "Name", map[string]any{"Options": map[string]any{}}},
		{"wrong type", "companies/add", "Name", map[string]any{"Name": 42, "Options": map[string]any{}}},
		{"too many items", "companies/getAll", "Ids", map[string]any{"Ids": many, "Limitation": map[string]any{"Count": 10}}},
		{"too few items", "companies/getAll", "Ids", map[string]any{"Ids": []string{}, "Limitation": map[string]any{"Count": 10}}},
		{"nested required field", "companies/getAll", "Limitation.Count", map[string]any{"Limitation": map[string]any{}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := conn.CallConnector(context.Background(), mews.Operation{Name: tc.op}, tc.in, nil)
			var ae *mews.APIError
			if !errors.As(err, &ae) || ae.StatusCode != http.StatusBadRequest {
				t.Fatalf("err = %v, want a 400", err)
			}
			if !strings.Contains(ae.Message, tc.field) {
				t.Errorf("message %q does not name %s", ae.Message, tc.field)
			}
		})
	}
}

// A follow-up page gets no items and no Cursor, so that a pager over the example ends.
func TestSpecOperationsEndPagersAfterTheExample(t *testing.T) {
	conn := specConnector(t)
	var out struct {
		Companies []any
		Cursor    *string
	}
	if err := conn.CallConnector(context.Background(), mews.Operation{Name: "companies/getAll", Safety: mews.Read}, map[string]any{"Limitation": map[string]any{"Count": 10}}, &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Companies) == 0 || out.Cursor == nil {
		t.Fatalf("first page = %+v, want the example's companies and Cursor", out)
	}
	out.Companies, out.Cursor = nil, nil
	cursor := "the-example-cursor"
	in := map[string]any{"Limitation": map[string]any{"Count": 10, "Cursor": cursor}}
	if err := conn.CallConnector(context.Background(), mews.Operation{Name: "companies/getAll", Safety: mews.Read}, in, &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Companies) != 0 || out.Cursor != nil {
		t.Errorf("follow-up page = %+v, want empty", out)
	}
}
