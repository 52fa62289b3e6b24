package mews

import "net/url"

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
	return checkSecureURL(raw, "wss", "ws")
}

// ClientToken returns the Connector ClientToken (redacting). The events package needs
// it because Mews' WebSocket takes the tokens as cookies rather than in a request body.
func (c *Client) ClientToken() Token {
	if c == nil {
		return Token{}
	}
	return c.clientToken
}
