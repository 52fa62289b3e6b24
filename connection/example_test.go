package connection_test

import (
	"context"
	"errors"
	"fmt"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/mewstest"
)

// A connect form: validate the pasted token, then show Connected or an inline error.
func ExampleValidate() {
	srv := mewstest.NewServer(mewstest.WithInProcess())
	defer srv.Close()
	client, err := srv.NewClient()
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()

	pasted := "  " + mewstest.AccessToken + "\n" // as copied from an email
	conn, err := client.Connector(pasted)
	if err != nil {
		fmt.Println("inline error:", err)
		return
	}
	res, err := connection.Validate(ctx, conn)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Status, "to", res.Enterprise.Name)

	srv.Revoke(mewstest.AccessToken) // the property revokes the token in Mews
	res, _ = connection.Validate(ctx, conn)
	fmt.Println(res.Status, errors.Is(res.Reason, mews.ErrInvalidAuthentication))
	// Output:
	// Connected to Mewstest Grand Hotel
	// Broken true
}

// A status page: watch connections and react to each change.
func ExampleMonitor() {
	srv := mewstest.NewServer(mewstest.WithInProcess())
	defer srv.Close()
	client, err := srv.NewClient()
	if err != nil {
		fmt.Println(err)
		return
	}
	changes := make(chan connection.Event, 8)
	m, err := connection.NewMonitor(client, connection.WithOnEvent(func(ev connection.Event) { changes <- ev }))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer m.Close()

	creds, _ := connection.ConnectorCredentials(mewstest.AccessToken)
	if err := m.Add("property-42", creds); err != nil {
		fmt.Println(err)
		return
	}
	ev := <-changes
	fmt.Println(ev.Key, ev.Previous, "->", ev.Status)

	srv.Revoke(mewstest.AccessToken)
	_ = m.Check("property-42") // or wait for the next periodic check
	ev = <-changes
	fmt.Println(ev.Key, ev.Previous, "->", ev.Status)

	for _, st := range m.Snapshot() {
		fmt.Println(st.Key, st.Status, st.Enterprise.Name)
	}
	// Output:
	// property-42 Unknown -> Connected
	// property-42 Connected -> Broken
	// property-42 Broken Mewstest Grand Hotel
}
