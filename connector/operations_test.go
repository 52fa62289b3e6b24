package connector

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/mewstest"
)

// example is one operation's request and response example from the spec, as the
// generator copied them into testdata.
type example struct {
	Request  json.RawMessage
	Response json.RawMessage
}

func loadExamples(t *testing.T) map[string]example {
	t.Helper()
	data, err := os.ReadFile("testdata/examples.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]example
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// decodeStrict decodes an example into typed params, failing on a field the type lacks,
// so that an example field the generator dropped cannot go unnoticed.
func decodeStrict(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	return d.Decode(v)
}

// exampleLimitation is the Limitation of a listing's request example: what a user sets
// as the params' PageSize and Cursor.
type exampleLimitation = Limitation

// credentialFields are the body fields the pipeline merges in.
var credentialFields = []string{"ClientToken", "AccessToken", "Client", "LanguageCode", "CultureCode"}

// canonical decodes JSON for comparison: the credentials are dropped, null and absent
// fields are the same (Mews reads both as "not given"), and strings that are times are
// compared as instants in UTC, so "2020-01-01T00:00:00.000Z" equals "2020-01-01T00:00:00Z".
func canonical(t *testing.T, raw []byte, dropCredentials bool) any {
	t.Helper()
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	var v any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		t.Fatalf("decoding %s: %v", raw, err)
	}
	if m, ok := v.(map[string]any); ok && dropCredentials {
		for _, f := range credentialFields {
			delete(m, f)
		}
	}
	return clean(v)
}

func clean(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if e == nil {
				continue
			}
			out[k] = clean(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = clean(e)
		}
		return out
	case json.Number:
		f, _ := x.Float64()
		return f
	case string:
		if tm, err := time.Parse(time.RFC3339Nano, x); err == nil && strings.Contains(x, "T") {
			return tm.UTC().Format(time.RFC3339Nano)
		}
	}
	return v
}

// dropZeroExtras removes from got the fields the example want leaves out and got holds
// with a zero value (false, 0, "", {}): a required field the example omits is sent, or
// encoded again, as its zero. The generator lists those examples ("lacks the required").
func dropZeroExtras(want, got any) {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return
		}
		for k, gv := range g {
			wv, in := w[k]
			if !in {
				if isZero(gv) {
					delete(g, k)
				}
				continue
			}
			dropZeroExtras(wv, gv)
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			return
		}
		for i := range min(len(w), len(g)) {
			dropZeroExtras(w[i], g[i])
		}
	}
}

func isZero(v any) bool {
	switch x := v.(type) {
	case bool:
		return !x
	case float64:
		return x == 0
	case string:
		return x == ""
	case map[string]any:
		for _, e := range x {
			if !isZero(e) {
				return false
			}
		}
		return true
	}
	return false
}

// recorder remembers the Operation of every call it forwards.
type recorder struct {
	Caller
	mu  sync.Mutex
	ops []mews.Operation
}

func (r *recorder) CallConnector(ctx context.Context, op mews.Operation, in, out any) error {
	r.mu.Lock()
	r.ops = append(r.ops, op)
	r.mu.Unlock()
	return r.Caller.CallConnector(ctx, op, in, out)
}

func newConnector(t *testing.T) (*mewstest.Server, *mews.Connector) {
	t.Helper()
	srv := mewstest.NewServer(mewstest.WithInProcess())
	t.Cleanup(srv.Close)
	srv.SetRateLimit(0, 0)
	client, err := srv.NewClient(mews.WithoutRateLimit())
	if err != nil {
		t.Fatal(err)
	}
	conn, err := client.Connector(mewstest.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	return srv, conn
}

func TestEveryOperationHasExamplesAndATestCall(t *testing.T) {
	examples := loadExamples(t)
	for _, info := range operations {
		if _, ok := examples[info.Name]; !ok {
			t.Errorf("%s: no example in testdata", info.Name)
		}
		if operationCalls[info.Name] == nil || operationResults[info.Name] == nil {
			t.Errorf("%s: no generated test call", info.Name)
		}
	}
	if len(operations) != len(examples) {
		t.Errorf("%d operations, %d examples", len(operations), len(examples))
	}
}

// The spec's request example, built through the typed params and sent through the
// pipeline, reaches Mews as the example less the credentials; and the operation is sent
// with the Safety of the generator's table.
func TestOperationsSendTheRequestExample(t *testing.T) {
	examples := loadExamples(t)
	srv, conn := newConnector(t)
	for _, info := range operations {
		t.Run(info.Name, func(t *testing.T) {
			ex := examples[info.Name]
			var bodies [][]byte
			srv.HandleConnector(info.Name, func(r *mewstest.Request) (any, error) {
				bodies = append(bodies, r.Body)
				if len(ex.Response) == 0 || string(ex.Response) == "null" {
					return json.RawMessage("{}"), nil
				}
				return ex.Response, nil
			})
			req, _ := json.Marshal(canonicalRequest(t, ex.Request))
			rec := &recorder{Caller: conn}
			if _, err := operationCalls[info.Name](context.Background(), rec, req); err != nil {
				t.Fatal(err)
			}
			if len(bodies) == 0 {
				t.Fatal("sent nothing")
			}
			want, _ := canonical(t, ex.Request, true).(map[string]any)
			got := make([]map[string]any, len(bodies))
			for i, b := range bodies {
				got[i], _ = canonical(t, b, true).(map[string]any)
				if _, ok := want["Limitation"]; !ok && info.Paged {
					delete(got[i], "Limitation") // the example leaves out the required Limitation a pager sends
				}
			}
			if len(bodies) > 1 {
				joinWindows(t, got)
			}
			dropZeroExtras(want, got[0])
			if diff := cmp.Diff(want, got[0]); diff != "" {
				t.Errorf("wire body differs from the example (-example +wire):\n%s", diff)
			}
			for _, op := range rec.ops {
				if op.Safety != info.Safety || op.Name != info.Name {
					t.Errorf("sent %s with Safety %v, want %s with %v", op.Name, op.Safety, info.Name, info.Safety)
				}
			}
		})
	}
}

// joinWindows checks that the queries of a split listing differ only in time filters
// whose windows follow each other, and puts the whole interval back into the first.
func joinWindows(t *testing.T, bodies []map[string]any) {
	t.Helper()
	for k, v := range bodies[0] {
		first, ok := v.(map[string]any)
		if !ok || first["StartUtc"] == nil {
			continue
		}
		var windows [][2]string
		for _, b := range bodies {
			w := b[k].(map[string]any)
			pair := [2]string{w["StartUtc"].(string), w["EndUtc"].(string)}
			if !slices.Contains(windows, pair) {
				windows = append(windows, pair)
			}
		}
		for i := 1; i < len(windows); i++ {
			if windows[i][0] != windows[i-1][1] {
				t.Errorf("%s: window %d starts at %s, the previous one ends at %s", k, i, windows[i][0], windows[i-1][1])
			}
		}
		first["EndUtc"] = windows[len(windows)-1][1]
	}
}

// mewstest answers every generated operation out of the box: statefully where it
// models the hotel, otherwise from the spec's example. Nothing is "not found".
func TestMewstestAnswersEveryOperation(t *testing.T) {
	examples := loadExamples(t)
	_, conn := newConnector(t)
	for _, info := range operations {
		req, _ := json.Marshal(canonicalRequest(t, examples[info.Name].Request))
		_, err := operationCalls[info.Name](context.Background(), conn, req)
		var ae *mews.APIError
		if errors.As(err, &ae) && ae.StatusCode == http.StatusNotFound && strings.Contains(ae.Message, "not found") {
			t.Errorf("%s: %v", info.Name, err)
		}
	}
}

// canonicalRequest is the request example without credentials, as a user would fill
// the params.
func canonicalRequest(t *testing.T, raw json.RawMessage) any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	for _, f := range credentialFields {
		delete(m, f)
	}
	return m
}

// The spec's response example decodes into the typed result, and encoding the result
// again loses no field.
func TestOperationsRoundTripTheResponseExample(t *testing.T) {
	examples := loadExamples(t)
	for _, info := range operations {
		t.Run(info.Name, func(t *testing.T) {
			ex := examples[info.Name]
			if len(ex.Response) == 0 || string(ex.Response) == "null" {
				t.Skip("the spec has no response example")
			}
			res := operationResults[info.Name]()
			if err := decodeStrict(ex.Response, res); err != nil {
				t.Fatal(err)
			}
			again, err := json.Marshal(res)
			if err != nil {
				t.Fatal(err)
			}
			want, got := canonical(t, ex.Response, false), canonical(t, again, false)
			dropZeroExtras(want, got)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("re-encoding differs from the example (-example +re-encoded):\n%s", diff)
			}
		})
	}
}

// Safety follows the rule: get… is Read, everything else Write, unless the reviewed
// table says otherwise and why.
func TestOperationsSafetyFollowsTheTable(t *testing.T) {
	for _, info := range operations {
		action := strings.Split(info.Name, "/")[1]
		want := mews.Write
		if strings.HasPrefix(action, "get") {
			want = mews.Read
		}
		if info.SafetyReason != "" {
			if info.Safety == want {
				t.Errorf("%s: the table repeats the default %v", info.Name, want)
			}
			continue
		}
		if info.Safety != want {
			t.Errorf("%s: Safety %v, want %v", info.Name, info.Safety, want)
		}
	}
}
