package mews_test

import (
	"testing"

	"github.com/mewskit/mews-go"
)

func TestEnvironmentsCarryTheirWebSocketAddress(t *testing.T) {
	tests := []struct {
		name string
		env  mews.Environment
		want string
	}{
		{"demo", mews.Demo(), "wss://ws.mews-demo.com/ws/connector"},
		{"production", mews.Production(), "wss://ws.mews.com/ws/connector"},
		{"custom https", mews.CustomEnvironment("https://mews.example:8443/some/path/"), "wss://mews.example:8443/ws/connector"},
		{"custom loopback http", mews.CustomEnvironment("http://127.0.0.1:9"), "ws://127.0.0.1:9/ws/connector"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.env.WebSocketURL; got != tt.want {
				t.Errorf("WebSocketURL = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWebSocketURLIsValidatedLikeTheBaseURL(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{"", true}, // an environment without WebSocket events
		{"wss://ws.example/ws/connector", true},
		{"ws://127.0.0.1:8080/ws/connector", true},
		{"ws://localhost/ws/connector", true},
		{"ws://ws.example/ws/connector", false},
		{"https://ws.example/ws/connector", false},
		{"wss://user:secret@ws.example/ws/connector", false},
		{"wss://ws.example/ws/connector?AccessToken=x", false},
		{"/ws/connector", false},
	}
	for _, tt := range tests {
		env := mews.Demo()
		env.WebSocketURL = tt.url
		_, err := mews.NewClient(mews.WithEnvironment(env), mews.WithClientToken(testClientToken))
		if (err == nil) != tt.ok {
			t.Errorf("WebSocketURL %q: err = %v, want ok=%v", tt.url, err, tt.ok)
		}
	}
}
