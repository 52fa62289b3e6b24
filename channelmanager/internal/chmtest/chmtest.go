// Package chmtest helps the Channel Manager packages' tests compare JSON documents.
package chmtest

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/mewstest"
)

// TokenFields are the credentials the pipeline adds to every Channel Manager body;
// compare requests without them.
var TokenFields = []string{"clientToken", "connectionToken"}

// NewClient starts an in-process mewstest server (closed with the test) and a client for it.
func NewClient(t testing.TB) (*mewstest.Server, *mews.Client) {
	t.Helper()
	srv := mewstest.NewServer(mewstest.WithInProcess())
	t.Cleanup(srv.Close)
	client, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	return srv, client
}

// NewChannelManager is NewClient plus the handle of one connection token.
func NewChannelManager(t testing.TB, connectionToken string) (*mewstest.Server, *mews.ChannelManager) {
	t.Helper()
	srv, client := NewClient(t)
	cm, err := client.ChannelManager(connectionToken)
	if err != nil {
		t.Fatal(err)
	}
	return srv, cm
}

// Bodies returns the bodies of the recorded requests of one operation, oldest first.
func Bodies(srv *mewstest.Server, op string) [][]byte {
	var out [][]byte
	for _, r := range srv.RequestsFor(op) {
		out = append(out, r.Body)
	}
	return out
}

// Normalize decodes a JSON document for comparison: numbers keep their exact text
// (so 1.00000000 and 1 differ), and keys whose value is null or "" are dropped, since
// the Channel Manager API treats absent, null and empty optional fields alike. Keys
// named in drop (e.g. the tokens the pipeline adds) are removed at every level.
func Normalize(t testing.TB, doc []byte, drop ...string) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, doc)
	}
	skip := make(map[string]bool, len(drop))
	for _, k := range drop {
		skip[k] = true
	}
	return clean(v, skip)
}

func clean(v any, skip map[string]bool) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if skip[k] || e == nil || e == "" {
				delete(x, k)
				continue
			}
			x[k] = clean(e, skip)
		}
	case []any:
		for i, e := range x {
			x[i] = clean(e, skip)
		}
	}
	return v
}

// AssertSameJSON fails the test when the two documents differ after Normalize.
func AssertSameJSON(t testing.TB, want, got []byte, drop ...string) {
	t.Helper()
	if d := cmp.Diff(Normalize(t, want, drop...), Normalize(t, got, drop...)); d != "" {
		t.Errorf("JSON differs (-want +got):\n%s", d)
	}
}

// Read returns a testdata file.
func Read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
