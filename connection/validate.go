package connection

import (
	"context"
	"errors"

	mews "github.com/mewskit/mews-go"
)

// Credentials identify one connection to Mews: a Connector AccessToken or a Channel
// Manager connectionToken. The client-level ClientToken comes from the *mews.Client.
type Credentials struct {
	// API says which token Token is: mews.ConnectorAPI (AccessToken) or
	// mews.ChannelManagerAPI (connectionToken).
	API mews.API
	// Token is the access token or connection token.
	Token mews.Token
	// IntegrationID is the Mews integration the token belongs to, if known. Validate
	// ignores it; a Monitor uses it to route integration webhooks to this connection.
	// The webhook handler learns it from IntegrationCreated when the token matches.
	// Only Connector credentials have one: integration webhooks are about Connector
	// integrations, and IntegrationApiKeyCreated would put a Connector key in its place.
	IntegrationID string
}

// ConnectorCredentials builds Credentials for a Connector access token as pasted by a
// user; spaces around it are trimmed. An empty token gives a *mews.InputError to show inline.
func ConnectorCredentials(accessToken string) (Credentials, error) {
	t, err := mews.NewToken(accessToken)
	return Credentials{API: mews.ConnectorAPI, Token: t}, err
}

// ChannelManagerCredentials builds Credentials for a Channel Manager connection token.
// An empty token gives a *mews.InputError.
func ChannelManagerCredentials(connectionToken string) (Credentials, error) {
	t, err := mews.NewToken(connectionToken)
	return Credentials{API: mews.ChannelManagerAPI, Token: t}, err
}

// Validate reports what Monitor.Add would refuse in c, as an *mews.InputError naming
// op, so that code holding credentials for a Monitor elsewhere (a fleet of replicas)
// refuses exactly the same.
func (c Credentials) Validate(op string) error {
	switch {
	case c.API != mews.ConnectorAPI && c.API != mews.ChannelManagerAPI:
		return &mews.InputError{Operation: op, Field: "API", Reason: "must be mews.ConnectorAPI or mews.ChannelManagerAPI"}
	case c.Token.IsZero():
		return &mews.InputError{Operation: op, Field: "Token", Reason: "is empty; paste the token from Mews"}
	case c.API == mews.ChannelManagerAPI && c.IntegrationID != "":
		return &mews.InputError{Operation: op, Field: "IntegrationID", Reason: "applies to Connector credentials only; leave it empty for a Channel Manager connection"}
	}
	return nil
}

// Enterprise is the Mews enterprise (property) a Connector access token belongs to.
type Enterprise struct {
	ID   string
	Name string
}

// Result is the outcome of one check of one set of credentials.
type Result struct {
	// Status is Connected, Broken, or Unknown when the check could not decide
	// (rate limit, timeout, 5xx, network or context error).
	Status Status
	// Enterprise is set for a Connected Connector check.
	Enterprise Enterprise
	// Property is the property name of a Connected Channel Manager check.
	Property string
	// Reason explains a Broken or undecided result. For Broken it matches
	// mews.ErrInvalidAuthentication or mews.ErrConnectionNotFound with errors.Is;
	// otherwise it is the transient error. It is nil when Connected.
	Reason error
}

// Undecided reports whether the check failed for a transient reason, so the caller should
// neither accept nor reject the credentials yet (e.g. show "try again" instead of an error).
func (r Result) Undecided() bool { return r.Status == Unknown }

// Validate checks a Connector connection now, as a connect form does after "Save":
// configuration/get through h, the Connector of the pasted AccessToken
// (client.Connector(token) refuses an empty one with a *mews.InputError). It returns an
// error only when nothing could be sent (*mews.InputError: a nil handle, or a client
// without a Connector ClientToken), which no retry would fix. Every answer from Mews,
// or lack of one, is in the Result. The call uses the health-check share of the
// token's rate budget.
func Validate(ctx context.Context, h mews.ConnectorCaller) (Result, error) {
	if h == nil {
		return Result{}, &mews.InputError{Operation: "connection.Validate", Field: "handle", Reason: "is nil; pass client.Connector(accessToken)"}
	}
	return decided(checkConnector(ctx, h))
}

// ValidateChannelManager checks a Channel Manager connection now: getConfiguration
// through h, the ChannelManager of the pasted connectionToken. Its errors and Result
// are those of Validate.
func ValidateChannelManager(ctx context.Context, h mews.ChannelManagerCaller) (Result, error) {
	if h == nil {
		return Result{}, &mews.InputError{Operation: "connection.ValidateChannelManager", Field: "handle", Reason: "is nil; pass client.ChannelManager(connectionToken)"}
	}
	return decided(checkChannelManager(ctx, h))
}

// decided turns a check that could not be sent into the error Validate returns.
func decided(res Result) (Result, error) {
	if errors.Is(res.Reason, mews.ErrInvalidInput) {
		return Result{}, res.Reason
	}
	return res, nil
}

// check runs the canonical check for valid credentials through client's handles.
func check(ctx context.Context, client *mews.Client, creds Credentials) Result {
	if creds.API == mews.ChannelManagerAPI {
		cm, err := client.ChannelManager(creds.Token.Reveal())
		if err != nil {
			return Result{Reason: err}
		}
		return checkChannelManager(ctx, cm)
	}
	cn, err := client.Connector(creds.Token.Reveal())
	if err != nil {
		return Result{Reason: err}
	}
	return checkConnector(ctx, cn)
}

// checkConnector is the canonical Connector check: configuration/get, reading only
// the enterprise.
func checkConnector(ctx context.Context, h mews.ConnectorCaller) Result {
	var cfg struct {
		Enterprise struct {
			ID   string `json:"Id"`
			Name string `json:"Name"`
		} `json:"Enterprise"`
	}
	op := mews.Operation{Name: "configuration/get", Safety: mews.Read, Priority: mews.PriorityHealthCheck}
	if err := h.CallConnector(ctx, op, struct{}{}, &cfg); err != nil {
		return failed(err)
	}
	return Result{Status: Connected, Enterprise: Enterprise{ID: cfg.Enterprise.ID, Name: cfg.Enterprise.Name}}
}

// checkChannelManager is the canonical Channel Manager check: getConfiguration with
// the smallest extent, reading only the property's name.
func checkChannelManager(ctx context.Context, h mews.ChannelManagerCaller) Result {
	in := struct {
		Extent struct{} `json:"extent"`
	}{}
	var cfg struct {
		Property struct {
			Name string `json:"name"`
		} `json:"property"`
	}
	op := mews.Operation{Name: "getConfiguration", Safety: mews.Read, Priority: mews.PriorityHealthCheck}
	if err := h.CallChannelManager(ctx, op, in, &cfg); err != nil {
		return failed(err)
	}
	return Result{Status: Connected, Property: cfg.Property.Name}
}

// failed classifies a failed canonical check: only an explicit rejection of the
// credentials is Broken; everything else is undecided.
func failed(err error) Result {
	if rejected(err) {
		return Result{Status: Broken, Reason: err}
	}
	return Result{Status: Unknown, Reason: err}
}

// rejected reports whether err says Mews refused the credentials themselves.
func rejected(err error) bool {
	return errors.Is(err, mews.ErrInvalidAuthentication) || errors.Is(err, mews.ErrConnectionNotFound)
}
