// Package testhotel starts the in-process mewstest hotel that the Connector packages'
// tests share, so that each test gets a fresh server and a Connector to it in one
// line, and holds the assertions those tests share. Only _test files import it.
//
//	srv, conn := testhotel.New(t)
//	_, err := reservations.List(conn, badFilter).Collect(t.Context())
//	testhotel.RefusedBeforeSending(t, srv, "UpdatedUtc", err)
package testhotel

import (
	"errors"
	"testing"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/mewstest"
)

// New is NewFor with the seeded hotel's own access token (mewstest.AccessToken), what
// most tests need.
func New(t testing.TB, opts ...mewstest.ServerOption) (*mewstest.Server, *mews.Connector) {
	t.Helper()
	return NewFor(t, mewstest.AccessToken, opts...)
}

// NewFor starts a fresh in-process mewstest server, closed when the test ends, and
// returns it with a Connector that uses tok. The Connector has no client-side rate
// limit, so tests never wait for one; a test of rate limiting builds its own. opts
// shape the server, e.g. mewstest.WithSeedMonths for a test that needs only a few
// reservations.
func NewFor(t testing.TB, tok string, opts ...mewstest.ServerOption) (*mewstest.Server, *mews.Connector) {
	t.Helper()
	srv := mewstest.NewServer(append([]mewstest.ServerOption{mewstest.WithInProcess()}, opts...)...)
	t.Cleanup(srv.Close)
	conn, err := srv.Connector(tok, mews.WithoutRateLimit())
	if err != nil {
		t.Fatal(err)
	}
	return srv, conn
}

// RefusedBeforeSending fails t unless each of errs is a *mews.InputError naming field
// (with field "", any error matching mews.ErrInvalidInput) and srv received no request:
// client-side validation must answer before anything goes on the wire. Tests of
// invalid input share it so that each states only the input and the field.
func RefusedBeforeSending(t testing.TB, srv *mewstest.Server, field string, errs ...error) {
	t.Helper()
	for _, err := range errs {
		var ie *mews.InputError
		switch {
		case field == "" && !errors.Is(err, mews.ErrInvalidInput):
			t.Errorf("err = %v, want ErrInvalidInput", err)
		case field != "" && (!errors.As(err, &ie) || ie.Field != field):
			t.Errorf("err = %v, want an InputError for %s", err, field)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}
