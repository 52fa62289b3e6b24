package mews

import (
	"fmt"
	"net/url"
)

// webSocketPath is where Mews serves Connector WebSocket events on its WebSocket host.
const webSocketPath = "/ws/connector"

// webSocketURLFor derives a custom environment's WebSocket address from its platform
// address: the same host with wss for https and ws for http. It returns "" when base is
// not an absolute http(s) URL, which NewClient reports for the base URL anyway.
func webSocketURLFor(base string) string {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return ""
	}
	switch u.Scheme {
	case "https":
		return "wss://" + u.Host + webSocketPath
	case "http":
		return "ws://" + u.Host + webSocketPath
	}
	return ""
}

// checkWebSocketURL accepts wss URLs, and plain ws only for loopback hosts, like
// checkURL for the API. An empty URL is accepted: such an environment has no WebSocket
// events, and the events package refuses it when asked to dial.
func checkWebSocketURL(raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%q is not an absolute URL", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%q must not carry credentials, a query or a fragment", u.Redacted())
	}
	switch u.Scheme {
	case "wss":
		return nil
	case "ws":
		if isLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%q uses plain ws; use wss (plain ws is accepted only for loopback hosts)", raw)
	}
	return fmt.Errorf("%q: unsupported scheme %q (want wss)", raw, u.Scheme)
}

// ClientToken returns the Connector ClientToken (redacting). The events package needs
// it because Mews' WebSocket takes the tokens as cookies rather than in a request body.
func (c *Client) ClientToken() Token {
	if c == nil {
		return Token{}
	}
	return c.clientToken
}
