package connection_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connection"
)

// answering is a transport that gives every request the same status and body, as a
// proxy in front of Mews would.
type answering struct {
	status int
	body   string
}

func (a answering) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{
		StatusCode: a.status, Status: http.StatusText(a.status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:  http.Header{"Content-Type": {"text/html"}},
		Body:    io.NopCloser(strings.NewReader(a.body)),
		Request: r,
	}, nil
}

func TestValidateDoesNotCallAChannelManagerConnectionBrokenForAProxyStatus(t *testing.T) {
	const connectionToken = "PX7Q2B239D24632943D115EDE9CFH3-EA00F8FD8294692C940F6B5A8F94ZZ9"
	for _, tt := range []struct {
		name   string
		status int
		body   string
	}{
		{"proxy 401 page", http.StatusUnauthorized, "<html><body>401 Authorization Required</body></html>"},
		{"proxy 401 without a body", http.StatusUnauthorized, ""},
		{"proxy 403", http.StatusForbidden, "Forbidden"},
		{"gateway 502", http.StatusBadGateway, "<html>Bad Gateway</html>"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			client, err := mews.NewClient(
				mews.WithChannelManagerClientToken("CM7EF7B239D24632943D115EDE9CB810-JJ549OU4JF94692C940F6B5A8F94QQ1"),
				mews.WithTransport(answering{tt.status, tt.body}),
				mews.WithRetry(mews.RetryPolicy{MaxAttempts: 1}),
			)
			if err != nil {
				t.Fatal(err)
			}
			creds, err := connection.ChannelManagerCredentials(connectionToken)
			if err != nil {
				t.Fatal(err)
			}
			res, err := validate(t.Context(), client, creds)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status == connection.Broken || !res.Undecided() {
				t.Errorf("status %v (reason %v); a proxy's answer says nothing about the connection, want Unknown", res.Status, res.Reason)
			}
		})
	}
}
