package mews

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Version is the SDK's version; it appears in the default client name and User-Agent.
const Version = "0.1.0"

// DefaultClientName is the Connector "Client" field sent when WithClientName is not
// given. Mews requires the field and uses it to tell integrations apart when it
// reviews traffic, so name your own product; NewClient logs (at Info, once) when it
// falls back to this name.
const DefaultClientName = "mews-go " + Version

const (
	defaultMaxResponse = 64 << 20
	connectorPath      = "/api/connector/v1/"
	channelManagerPath = "/api/channelManager/v1/"
)

// Environment is a Mews deployment: the platform address, the Channel Manager's two
// PCI-proxy push URLs and the WebSocket address, none of which live under the platform
// address.
type Environment struct {
	Name                     string // "demo", "production" or "custom"
	BaseURL                  string // platform address, e.g. https://api.mews-demo.com
	ReservationPushURL       string // Channel Manager processGroup
	AvailabilityBlockPushURL string // Channel Manager processAvailabilityBlock
	WebSocketURL             string // Connector WebSocket events, e.g. wss://ws.mews-demo.com/ws/connector
}

// Demo is Mews' public demo environment. It holds no real data; use it to develop.
func Demo() Environment {
	return Environment{
		Name:                     "demo",
		BaseURL:                  "https://api.mews-demo.com",
		ReservationPushURL:       "https://sandbox.pci-proxy.com/v1/push/0426f19b66715a93",
		AvailabilityBlockPushURL: "https://sandbox.pci-proxy.com/v1/push/4ef00bba562b5622",
		WebSocketURL:             "wss://ws.mews-demo.com" + webSocketPath,
	}
}

// Production is the live Mews environment.
func Production() Environment {
	return Environment{
		Name:                     "production",
		BaseURL:                  "https://api.mews.com",
		ReservationPushURL:       "https://api.pci-proxy.com/v1/push/b2721c9a0351d553",
		AvailabilityBlockPushURL: "https://api.pci-proxy.com/v1/push/9eaa344245feed7f",
		WebSocketURL:             "wss://ws.mews.com" + webSocketPath,
	}
}

// CustomEnvironment is any other platform address, typically a mewstest server. Its
// push URLs are the platform's own processGroup and processAvailabilityBlock paths, and
// its WebSocket address is the same host's /ws/connector (wss for https, ws for http).
func CustomEnvironment(baseURL string) Environment {
	base := strings.TrimRight(strings.TrimSpace(baseURL), "/")
	return Environment{
		Name:                     "custom",
		BaseURL:                  base,
		ReservationPushURL:       base + channelManagerPath + "processGroup",
		AvailabilityBlockPushURL: base + channelManagerPath + "processAvailabilityBlock",
		WebSocketURL:             webSocketURLFor(base),
	}
}

// Client talks to both Mews APIs. It holds the application-wide settings (ClientTokens,
// client name, environment, retries, limits, logging); the per-hotel tokens live in the
// cheap handles returned by Connector and ChannelManager. A Client is safe for
// concurrent use and meant to be shared by every connection of a process.
type Client struct {
	env           Environment
	clientToken   Token
	clientName    string
	cmClientToken Token
	userAgent     string
	logger        *slog.Logger
	retry         RetryPolicy
	connLimiter   Limiter
	cmLimiter     Limiter
	maxResponse   int64
	httpClient    *http.Client
	bodies        bodyPool          // response buffers, reused between calls
	superseding   supersedeRegistry // orders the calls that carry a Supersedes key
}

// NewClient builds a Client. It makes no network call. The defaults are the Demo
// environment, Mews' documented rate limit of 200 requests per AccessToken per 30 s,
// the default RetryPolicy, a 64 MiB response cap and a silent logger. An option that
// is refused, or options that would undo one another, make it fail with an
// *InputError whose Field names the option (see Option).
func NewClient(opts ...Option) (*Client, error) {
	s := settings{given: map[string]bool{}, connLimit: rateSpec{200, 30 * time.Second}, rateMargin: DefaultRateMargin, healthCheckShare: DefaultHealthCheckShare}
	for _, opt := range opts {
		if opt == nil {
			return nil, &InputError{Operation: "NewClient", Field: "option", Reason: "is nil"}
		}
		if err := opt(&s); err != nil {
			return nil, err
		}
	}
	if err := s.checkConflicts(); err != nil {
		return nil, err
	}
	if s.clientToken.IsZero() && s.cmClientToken.IsZero() {
		return nil, &InputError{Operation: "NewClient", Field: "client token",
			Reason: "is missing; give mews.WithClientToken (Connector) or mews.WithChannelManagerClientToken (Channel Manager), the token Mews issued for your integration"}
	}
	c := &Client{
		env:           s.environment(),
		clientToken:   s.clientToken,
		cmClientToken: s.cmClientToken,
		clientName:    s.clientName,
		logger:        s.logger,
		retry:         s.retry.withDefaults(),
		maxResponse:   s.maxResponse,
	}
	if c.clientName == "" {
		c.clientName = DefaultClientName
	}
	c.userAgent = "mews-go/" + Version
	if s.userAgent != "" {
		c.userAgent = s.userAgent + " " + c.userAgent
	}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	if s.clientName == "" && !c.clientToken.IsZero() {
		c.logger.Info("mews: no WithClientName: Mews sees this integration as the default client name; name your product and version",
			slog.String("client", c.clientName))
	}
	if c.maxResponse == 0 {
		c.maxResponse = defaultMaxResponse
	}
	var err error
	switch {
	case s.noLimit:
	case s.limiter != nil:
		c.connLimiter, c.cmLimiter = s.limiter, s.limiter
	default:
		if c.connLimiter, err = s.keyedLimiter(s.connLimit); err != nil {
			return nil, optionError("WithRateLimit", err)
		}
		if s.cmLimit.n > 0 {
			if c.cmLimiter, err = s.keyedLimiter(s.cmLimit); err != nil {
				return nil, optionError("WithChannelManagerRateLimit", err)
			}
		}
	}
	c.httpClient = c.buildHTTPClient(s.httpClient, s.transport)
	return c, nil
}

// buildHTTPClient keeps what the user gave for every attempt: the client's Transport,
// Timeout and Jar, or the transport. Each call puts its own per-attempt layer (limiter,
// logging) under it and refuses redirects, whatever the client's CheckRedirect says.
func (c *Client) buildHTTPClient(hc *http.Client, rt http.RoundTripper) *http.Client {
	out := &http.Client{}
	if hc != nil {
		out.Transport, out.Timeout, out.Jar = hc.Transport, hc.Timeout, hc.Jar
	}
	if rt != nil {
		out.Transport = rt
	}
	if out.Transport == nil {
		out.Transport = http.DefaultTransport
	}
	return out
}

// checkURL accepts https URLs, and plain http only for loopback hosts.
func checkURL(raw string) error { return checkSecureURL(raw, "https", "http") }

// checkSecureURL accepts absolute URLs of the secure scheme, and of the plain one only
// for loopback hosts (a test server), without credentials, a query or a fragment: the
// requests carry tokens, which must not travel in clear text or to a URL's user part.
func checkSecureURL(raw, secure, plain string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%q is not an absolute URL", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%q must not carry credentials, a query or a fragment", u.Redacted())
	}
	switch u.Scheme {
	case secure:
		return nil
	case plain:
		if isLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%q uses plain %s; use %s (plain %s is accepted only for loopback hosts)", raw, plain, secure, plain)
	}
	return fmt.Errorf("%q: unsupported scheme %q (want %s)", raw, u.Scheme, secure)
}

// isLoopback reports whether host is localhost or a loopback IP address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Environment returns the environment the client talks to.
func (c *Client) Environment() Environment {
	if c == nil {
		return Environment{}
	}
	return c.env
}

// String identifies the client by its environment and client name; its tokens appear
// only redacted.
func (c *Client) String() string {
	if c == nil {
		return "mews.Client(nil)"
	}
	return fmt.Sprintf("mews.Client(%s, %q, ClientToken %s, Channel Manager clientToken %s)",
		c.env.BaseURL, c.clientName, c.clientToken, c.cmClientToken)
}

// GoString keeps %#v redacted.
func (c *Client) GoString() string { return c.String() }

// Format makes every fmt verb print the redacted String.
func (c *Client) Format(f fmt.State, verb rune) { formatRedacted(f, verb, c.String(), c.GoString()) }

// LogValue keeps slog records redacted, whatever the handler.
func (c *Client) LogValue() slog.Value { return slog.StringValue(c.String()) }

// Connector returns the handle for one hotel's Connector API AccessToken. It is cheap
// (no network call); make one per connection and keep it. The token is cleaned and
// validated here, so a pasted token with a stray line break still works and an empty
// one fails before anything is sent. opts (WithLanguage, WithPriority) apply to every
// call made through the handle; a refused one is an *InputError naming it.
func (c *Client) Connector(accessToken string, opts ...HandleOption) (*Connector, error) {
	const op = "Client.Connector"
	if c == nil {
		return nil, nilHandle(Operation{Name: op}, "client", "mews.NewClient")
	}
	if c.clientToken.IsZero() {
		return nil, &InputError{Operation: op, Field: "client token", Reason: "is not configured for the Connector; give NewClient mews.WithClientToken"}
	}
	tok, err := newToken("access token", accessToken)
	if err != nil {
		return nil, err
	}
	hs, err := handleSettingsOf(op, ConnectorAPI, opts)
	if err != nil {
		return nil, err
	}
	return &Connector{client: c, accessToken: tok, limitKey: limitKey(ConnectorAPI, tok),
		languageCode: hs.languageCode, cultureCode: hs.cultureCode, priority: hs.priority}, nil
}

// ChannelManager returns the handle for one Channel Manager connection (one
// connectionToken). It is cheap and validates the token like Connector. Of the handle
// options only WithPriority applies; WithLanguage is refused.
func (c *Client) ChannelManager(connectionToken string, opts ...HandleOption) (*ChannelManager, error) {
	const op = "Client.ChannelManager"
	if c == nil {
		return nil, nilHandle(Operation{Name: op}, "client", "mews.NewClient")
	}
	if c.cmClientToken.IsZero() {
		return nil, &InputError{Operation: op, Field: "Channel Manager client token", Reason: "is not configured; give NewClient mews.WithChannelManagerClientToken"}
	}
	tok, err := newToken("connection token", connectionToken)
	if err != nil {
		return nil, err
	}
	hs, err := handleSettingsOf(op, ChannelManagerAPI, opts)
	if err != nil {
		return nil, err
	}
	return &ChannelManager{client: c, connectionToken: tok, limitKey: limitKey(ChannelManagerAPI, tok), priority: hs.priority}, nil
}

// limitKey is the limiter key for a token: the API and a hash, never the token itself.
func limitKey(api API, tok Token) string {
	sum := sha256.Sum256([]byte(tok.Reveal()))
	return string(api) + ":" + hex.EncodeToString(sum[:12])
}

// CallChannelManagerClient calls a Channel Manager operation that is about no single
// connection (getProperties, getChannels) through the SDK's pipeline: only clientToken
// is merged into in. It implements ChannelManagerClientCaller.
func (c *Client) CallChannelManagerClient(ctx context.Context, op Operation, in, out any) error {
	if c == nil {
		return nilHandle(op, "client", "mews.NewClient")
	}
	if err := c.needChannelManagerToken(op); err != nil {
		return err
	}
	auth := []authField{{"clientToken", c.cmClientToken.Reveal()}}
	return c.do(ctx, ChannelManagerAPI, op, auth, "channelManager:client", c.cmLimiter, in, out)
}

// nilHandle is the error of a call on a nil Client or handle: every operation then fails
// cleanly, before anything is sent, instead of panicking.
func nilHandle(op Operation, what, make string) error {
	return &InputError{Operation: op.Name, Field: what, Reason: "is nil or zero; create one with " + make}
}

// needChannelManagerToken fails early when no Channel Manager clientToken was configured.
func (c *Client) needChannelManagerToken(op Operation) error {
	if c.cmClientToken.IsZero() {
		return &InputError{Operation: op.Name, Field: "Channel Manager client token", Reason: "is not configured; use mews.WithChannelManagerClientToken"}
	}
	return nil
}

// Connector is one hotel's Connector API connection: the shared Client plus an
// AccessToken. Its methods are safe for concurrent use.
type Connector struct {
	client       *Client
	accessToken  Token
	limitKey     string
	languageCode string
	cultureCode  string
	priority     Priority
}

// Client returns the Client the handle belongs to.
func (cn *Connector) Client() *Client {
	if cn == nil {
		return nil
	}
	return cn.client
}

// AccessToken returns the handle's (redacting) AccessToken.
func (cn *Connector) AccessToken() Token {
	if cn == nil {
		return Token{}
	}
	return cn.accessToken
}

// String identifies the handle without its token.
func (cn *Connector) String() string {
	if cn == nil {
		return "mews.Connector(nil)"
	}
	return "mews.Connector(" + cn.accessToken.String() + ")"
}

// GoString keeps %#v redacted.
func (cn *Connector) GoString() string { return cn.String() }

// Format makes every fmt verb print the redacted String.
func (cn *Connector) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, cn.String(), cn.GoString())
}

// LogValue keeps slog records redacted, whatever the handler.
func (cn *Connector) LogValue() slog.Value { return slog.StringValue(cn.String()) }

// CallConnector calls any Connector operation through the SDK's pipeline: the operation
// that the SDK does not wrap yet, or your own typed call. It implements ConnectorCaller. in is nil, a struct or a map encoded
// with PascalCase names; ClientToken, AccessToken and Client (and the language, if set)
// are merged into it. out is nil or a pointer that the 200 body is decoded into; a 204
// leaves it untouched. Failures are *APIError, *InputError or a transport error.
func (cn *Connector) CallConnector(ctx context.Context, op Operation, in, out any) error {
	if cn == nil || cn.client == nil || cn.accessToken.IsZero() {
		return nilHandle(op, "connector", "client.Connector(accessToken)")
	}
	c := cn.client
	if c.clientToken.IsZero() {
		return &InputError{Operation: op.Name, Field: "Connector client token", Reason: "is not configured; use mews.WithClientToken"}
	}
	auth := []authField{
		{"ClientToken", c.clientToken.Reveal()},
		{"AccessToken", cn.accessToken.Reveal()},
		{"Client", c.clientName},
	}
	if cn.languageCode != "" && cn.cultureCode != "" {
		auth = append(auth, authField{"LanguageCode", cn.languageCode}, authField{"CultureCode", cn.cultureCode})
	}
	if op.Priority == PriorityNormal {
		op.Priority = cn.priority
	}
	return c.do(ctx, ConnectorAPI, op, auth, cn.limitKey, c.connLimiter, in, out)
}

// ChannelManager is one Channel Manager connection: the shared Client plus a
// connectionToken. Its methods are safe for concurrent use.
type ChannelManager struct {
	client          *Client
	connectionToken Token
	limitKey        string
	priority        Priority
}

// Client returns the Client the handle belongs to.
func (cm *ChannelManager) Client() *Client {
	if cm == nil {
		return nil
	}
	return cm.client
}

// ConnectionToken returns the handle's (redacting) connectionToken.
func (cm *ChannelManager) ConnectionToken() Token {
	if cm == nil {
		return Token{}
	}
	return cm.connectionToken
}

// String identifies the handle without its token.
func (cm *ChannelManager) String() string {
	if cm == nil {
		return "mews.ChannelManager(nil)"
	}
	return "mews.ChannelManager(" + cm.connectionToken.String() + ")"
}

// GoString keeps %#v redacted.
func (cm *ChannelManager) GoString() string { return cm.String() }

// Format makes every fmt verb print the redacted String.
func (cm *ChannelManager) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, cm.String(), cm.GoString())
}

// LogValue keeps slog records redacted, whatever the handler.
func (cm *ChannelManager) LogValue() slog.Value { return slog.StringValue(cm.String()) }

// CallChannelManager calls any Channel Manager operation about this connection through
// the SDK's pipeline; it implements ChannelManagerCaller. in is nil, a struct or a map encoded with lowerCamelCase names; clientToken
// and connectionToken are merged into it. The response envelope is checked first: a
// failure (success false, errors or the deprecated error) becomes an *APIError; on
// success the whole body is decoded into out, so out only needs the data fields.
func (cm *ChannelManager) CallChannelManager(ctx context.Context, op Operation, in, out any) error {
	if cm == nil || cm.client == nil || cm.connectionToken.IsZero() {
		return nilHandle(op, "channel manager", "client.ChannelManager(connectionToken)")
	}
	c := cm.client
	if err := c.needChannelManagerToken(op); err != nil {
		return err
	}
	auth := []authField{
		{"clientToken", c.cmClientToken.Reveal()},
		{"connectionToken", cm.connectionToken.Reveal()},
	}
	if op.Priority == PriorityNormal {
		op.Priority = cm.priority
	}
	return c.do(ctx, ChannelManagerAPI, op, auth, cm.limitKey, c.cmLimiter, in, out)
}
