package properties_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/properties"
)

// hotelStub stands in for a *mews.Connector in a unit test: every operation takes a
// mews.ConnectorCaller, so a stub that answers the operations your code sends is
// enough, with no server and no tokens.
type hotelStub struct{ revoked bool }

func (s hotelStub) CallConnector(_ context.Context, op mews.Operation, _, out any) error {
	switch {
	case s.revoked:
		return &mews.APIError{API: mews.ConnectorAPI, Operation: op.Name, StatusCode: 401}
	case op.Name == "configuration/get":
		return json.Unmarshal([]byte(`{"Enterprise": {"Id": "e-1", "Name": "Stub Hotel", "TimeZoneIdentifier": "Europe/Prague"}}`), out)
	}
	return fmt.Errorf("the stub does not answer %s", op.Name)
}

// A stub of mews.ConnectorCaller answers an operation in a unit test.
func ExampleGetConfiguration_stub() {
	ctx := context.Background()
	cfg, err := properties.GetConfiguration(ctx, hotelStub{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cfg.Enterprise.Name, cfg.Enterprise.TimeZoneIdentifier)

	_, err = properties.GetConfiguration(ctx, hotelStub{revoked: true})
	fmt.Println(errors.Is(err, mews.ErrInvalidAuthentication))
	// Output:
	// Stub Hotel Europe/Prague
	// true
}
