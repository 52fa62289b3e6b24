// Package httpin holds the mechanics the SDK's inbound HTTP handlers (inbound,
// webhooks and connection) share and users must not depend on: the settings every
// handler offers (body cap, body-read deadline, logger) with their validated options,
// reading a request body within those limits, checking a shared secret in constant
// time, and restating a JSON decoding error without Go type names, since that text
// goes back to the sender.
//
// Each handler keeps its own status codes and wording, and exposes the shared options
// as one-line WithX wrappers, so that both packages validate and document them alike:
//
//	in, err := httpin.NewSettings(httpin.WithMaxBodyBytes(1<<20)) // *mews.InputError if invalid
//	secret := httpin.NewSecret(token.Reveal())
//	if !secret.Matches(r.URL.Query().Get("Token")) {
//		// 401
//	}
//	body, err := in.ReadBody(w, r, in.Limit(defaultCap))
//	switch {
//	case errors.Is(err, httpin.ErrBodyTooLarge): // 413, refused unread when declared
//	case errors.Is(err, httpin.ErrBodyTimeout): // 408, the client stalled
//	}
package httpin
