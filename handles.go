package mews

import (
	"context"
	"errors"
	"strings"
)

// ConnectorCaller sends one Connector operation through the SDK's pipeline. Every
// Connector operation of this module takes one; *Connector implements it. Stub it in
// your unit tests to answer operations without a server.
type ConnectorCaller interface {
	CallConnector(ctx context.Context, op Operation, in, out any) error
}

// ChannelManagerCaller sends one Channel Manager operation about one connection
// through the SDK's pipeline; *ChannelManager implements it. Stub it in your unit
// tests to answer operations without a server.
type ChannelManagerCaller interface {
	CallChannelManager(ctx context.Context, op Operation, in, out any) error
}

// ChannelManagerClientCaller sends one Channel Manager operation that is about no
// single connection (getProperties, getChannels): only the clientToken is merged.
// *Client implements it.
type ChannelManagerClientCaller interface {
	CallChannelManagerClient(ctx context.Context, op Operation, in, out any) error
}

// The handles implement the interfaces their operations take.
var (
	_ ConnectorCaller            = (*Connector)(nil)
	_ ChannelManagerCaller       = (*ChannelManager)(nil)
	_ ChannelManagerClientCaller = (*Client)(nil)
)

// HandleOption configures a handle made by Client.Connector or Client.ChannelManager,
// for every call made through it. It is validated when the handle is made, which then
// fails with an *InputError whose Field names the option. Like Option, the result does
// not depend on the order; the same option given twice keeps the last one.
type HandleOption func(*handleSettings) error

// handleSettings collects the handle options for one handle.
type handleSettings struct {
	api          API
	languageCode string
	cultureCode  string
	priority     Priority
}

// handleSettingsOf applies opts for a handle of api, made by the operation op.
func handleSettingsOf(op string, api API, opts []HandleOption) (handleSettings, error) {
	hs := handleSettings{api: api}
	for _, opt := range opts {
		if opt == nil {
			return hs, &InputError{Operation: op, Field: "option", Reason: "is nil"}
		}
		if err := opt(&hs); err != nil {
			var in *InputError
			if errors.As(err, &in) {
				in.Operation = op
			}
			return hs, err
		}
	}
	return hs, nil
}

// handleOption names a handle option's effect for its errors.
func handleOption(name string, apply func(*handleSettings) error) HandleOption {
	return func(hs *handleSettings) error {
		if err := apply(hs); err != nil {
			return &InputError{Field: name, Reason: err.Error()}
		}
		return nil
	}
}

// WithLanguage asks Mews for texts and error messages in a language, for every call of
// a Connector handle. Mews needs both codes together (e.g. "en-US", "en-US"); each is
// letters, digits and hyphens. The Channel Manager has no language setting, so
// Client.ChannelManager refuses it.
func WithLanguage(languageCode, cultureCode string) HandleOption {
	return handleOption("WithLanguage", func(hs *handleSettings) error {
		if hs.api != ConnectorAPI {
			return errors.New("applies only to Connector handles")
		}
		lang, culture := strings.TrimSpace(languageCode), strings.TrimSpace(cultureCode)
		if !isLanguageTag(lang) || !isLanguageTag(culture) {
			return errors.New(`needs a language and a culture code such as "en-US"`)
		}
		hs.languageCode, hs.cultureCode = lang, culture
		return nil
	})
}

// isLanguageTag reports whether s looks like a language or culture code: 2 to 35
// letters, digits and hyphens, starting with a letter.
func isLanguageTag(s string) bool {
	if len(s) < 2 || len(s) > 35 || !isASCIILetter(s[0]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isASCIILetter(c) && !(c >= '0' && c <= '9') && c != '-' {
			return false
		}
	}
	return true
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// WithPriority gives every call of the handle priority p, unless the call's Operation
// sets a Priority of its own. connection's health checks use PriorityHealthCheck, so
// that a busy application cannot starve them.
func WithPriority(p Priority) HandleOption {
	return handleOption("WithPriority", func(hs *handleSettings) error {
		if p != PriorityNormal && p != PriorityHealthCheck {
			return errors.New("is not a known Priority")
		}
		hs.priority = p
		return nil
	})
}
