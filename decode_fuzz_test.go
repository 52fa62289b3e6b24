package mews

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

// fuzzSecret is a token the fuzzed bodies may echo; it must never reach an error text.
const fuzzSecret = "FUZZSECRETTOKEN0000000000000000A-000000000000000000000000000000B"

// fuzzCall is a pipeline call as decode sees it.
func fuzzCall(api API) *call {
	c := &Client{maxResponse: 1 << 20}
	return &call{client: c, api: api, op: Operation{Name: "fuzz"}, secrets: []string{fuzzSecret}}
}

func fuzzResponse(status int, body []byte) *http.Response {
	return &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: -1}
}

// checkDecoded holds for every decoded failure: a typed error without the secret.
func checkDecoded(t *testing.T, err error) {
	if err == nil {
		return
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("decode returned %T, want *APIError", err)
	}
	if strings.Contains(err.Error(), fuzzSecret) {
		t.Fatalf("the token leaked into %q", err.Error())
	}
}

func FuzzConnectorErrorBody(f *testing.F) {
	f.Add(400, []byte(`{"Message":"Invalid ReservationId.","RequestId":"abc","Details":null}`))
	f.Add(401, []byte(`{"Message":"Invalid AccessToken `+fuzzSecret+`"}`))
	f.Add(500, []byte(`<html>Bad Gateway</html>`))
	f.Add(200, []byte(`{"Enterprise":{"Name":"X"}}`))
	f.Add(429, []byte(``))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 599 {
			t.Skip()
		}
		var out map[string]any
		err := fuzzCall(ConnectorAPI).decode(fuzzResponse(status, body), &out)
		checkDecoded(t, err)
		if status >= 300 && err == nil {
			t.Fatalf("HTTP %d decoded as success", status)
		}
	})
}

func FuzzChannelManagerEnvelope(f *testing.F) {
	f.Add([]byte(`{"success":false,"errors":[{"code":3,"message":"Connection not found."}]}`))
	f.Add([]byte(`{"success":false,"error":{"code":"8","message":"Invalid ` + fuzzSecret + `"}}`))
	f.Add([]byte(`{"success":"true","properties":[]}`))
	f.Add([]byte(`{"channels":[{"code":1,"name":"Booking.com"}]}`))
	f.Add([]byte(`{"success":false}`))
	f.Add([]byte(`[1,2,3]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var out map[string]any
		err := fuzzCall(ChannelManagerAPI).decode(fuzzResponse(200, body), &out)
		checkDecoded(t, err)
		var env struct {
			Errors []struct {
				Code json.RawMessage `json:"code"`
			} `json:"errors"`
		}
		if json.Unmarshal(body, &env) == nil && len(env.Errors) > 0 && err == nil {
			t.Fatalf("an envelope with errors decoded as success: %s", body)
		}
	})
}
