package channelmanager

import (
	"context"
	"strings"

	mews "github.com/mewskit/mews-go"
)

// Property is a property an employee can access, with the connections of the
// channel manager's clientToken to it.
type Property struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	Connections []Connection `json:"connections,omitempty"`
}

// Connection is one Channel Manager connection to a property. Token is the
// connectionToken (redacted when printed, logged or marshalled; Reveal it to store it).
type Connection struct {
	Token mews.Token `json:"token"`
	Name  string     `json:"name,omitempty"`
}

// GetPropertiesParams is the input of GetProperties.
type GetPropertiesParams struct {
	// Email is the address of a verified employee of the property.
	Email string `json:"email"`
}

// GetProperties returns every property that the employee with p.Email can access,
// with the connection tokens of the client's clientToken (getProperties). Mews treats
// the verified employee email as the authorization, so this is how a channel manager
// discovers connection tokens without asking the property. Open a connection with
// client.ChannelManager(conn.Token.Reveal()), and store tokens only revealed on purpose.
func GetProperties(ctx context.Context, h mews.ChannelManagerClientCaller, p GetPropertiesParams) ([]Property, error) {
	const op = "getProperties"
	if h == nil {
		return nil, noClient(op)
	}
	p.Email = strings.TrimSpace(p.Email)
	if at := strings.IndexByte(p.Email, '@'); at <= 0 || at == len(p.Email)-1 || strings.ContainsAny(p.Email, " \t\r\n") {
		return nil, &mews.InputError{Operation: op, Field: "email", Reason: "must be the email address of a verified employee of the property"}
	}
	var out struct {
		Properties []Property `json:"properties"`
	}
	if err := h.CallChannelManagerClient(ctx, mews.Operation{Name: op, Safety: mews.Read}, p, &out); err != nil {
		return nil, err
	}
	return out.Properties, nil
}

// GetChannels returns every sales channel Mews knows with its code (getChannels). Codes
// have gaps and new channels are appended; refresh the list periodically.
func GetChannels(ctx context.Context, h mews.ChannelManagerClientCaller) ([]Channel, error) {
	const op = "getChannels"
	if h == nil {
		return nil, noClient(op)
	}
	var out struct {
		Channels []Channel `json:"channels"`
	}
	if err := h.CallChannelManagerClient(ctx, mews.Operation{Name: op, Safety: mews.Read}, nil, &out); err != nil {
		return nil, err
	}
	return out.Channels, nil
}

// GetConfiguration returns the connection's configuration (getConfiguration): the
// property, space categories, rate plans with cancellation policies and inventory
// mappings, plus whatever extent asks for. Call it after a change notification, and to
// validate a connection token (code 3 gives mews.ErrConnectionNotFound, code 8
// mews.ErrInvalidAuthentication).
func GetConfiguration(ctx context.Context, h mews.ChannelManagerCaller, extent ConfigurationExtent) (*Configuration, error) {
	const op = "getConfiguration"
	if h == nil {
		return nil, noHandle(op)
	}
	in := struct {
		Extent ConfigurationExtent `json:"extent"`
	}{extent}
	var cfg Configuration
	if err := h.CallChannelManager(ctx, mews.Operation{Name: op, Safety: mews.Read}, in, &cfg); err != nil {
		return nil, err
	}
	return &cfg, nil
}

// noClient is the error of a client-level operation called without a handle.
func noClient(op string) error {
	return &mews.InputError{Operation: op, Field: "handle", Reason: "is nil; pass the *mews.Client"}
}
