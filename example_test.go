package mews_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/mewstest"
)

// A Connector handle is all a call needs; CallConnector reaches any Connector operation through
// the SDK's pipeline, with the credentials and client name merged into the body.
func ExampleConnector_CallConnector() {
	srv := mewstest.NewServer(mewstest.WithInProcess())
	client, _ := srv.NewClient()

	hotel, err := client.Connector(mewstest.AccessToken + "\n") // a pasted token with a line break
	if err != nil {
		fmt.Println(err)
		return
	}
	var out struct {
		Enterprise struct{ Id, Name string }
	}
	if err := hotel.CallConnector(context.Background(), mews.Operation{Name: "configuration/get", Safety: mews.Read}, nil, &out); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out.Enterprise.Name)
	// Output: Mewstest Grand Hotel
}

// Sentinels tell what went wrong without parsing messages; *APIError has the details.
func ExampleAPIError() {
	srv := mewstest.NewServer(mewstest.WithInProcess())
	client, _ := srv.NewClient()
	hotel, _ := client.Connector(mewstest.AccessToken)
	srv.Revoke(mewstest.AccessToken)

	err := hotel.CallConnector(context.Background(), mews.Operation{Name: "configuration/get", Safety: mews.Read}, nil, nil)
	var apiErr *mews.APIError
	if errors.Is(err, mews.ErrInvalidAuthentication) && errors.As(err, &apiErr) {
		fmt.Println("Broken: HTTP", apiErr.StatusCode, "RequestId", apiErr.RequestID != "")
	}
	// Output: Broken: HTTP 401 RequestId true
}

// Channel Manager errors arrive in HTTP 200 envelopes; the SDK turns them into the same
// *APIError, matching a sentinel per code.
func ExampleChannelManager_CallChannelManager() {
	srv := mewstest.NewServer(mewstest.WithInProcess())
	client, _ := srv.NewClient()
	conn, _ := client.ChannelManager(mewstest.DeactivatedConnectionToken)

	err := conn.CallChannelManager(context.Background(), mews.Operation{Name: "getConfiguration", Safety: mews.Read}, nil, nil)
	fmt.Println(errors.Is(err, mews.ErrConnectionNotFound))
	// Output: true
}

// Tokens print redacted everywhere; Reveal is the one way to the raw value.
func ExampleToken() {
	tok, _ := mews.NewToken(" C66EF7B239D24632943D115EDE9CB810-EA00F8FD8294692C940F6B5A8F9453D\r\n")
	fmt.Println(tok)
	fmt.Printf("%+v\n", struct{ Token mews.Token }{tok})
	// Output:
	// [redacted …453D]
	// {Token:[redacted …453D]}
}
