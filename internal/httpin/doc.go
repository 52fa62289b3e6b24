// Package httpin holds the mechanics the SDK's inbound HTTP handlers (inbound,
// webhooks and connection) share and users must not depend on: checking a shared
// secret in constant time, reading a request body up to a limit, and restating a JSON
// decoding error without Go type names, since that text goes back to the sender.
//
// Each handler keeps its own status codes and wording; this package only answers the
// questions they all ask:
//
//	secret := httpin.NewSecret(token.Reveal())
//	if !secret.Matches(r.URL.Query().Get("Token")) {
//		// 401
//	}
//	body, err := httpin.ReadBody(w, r, maxBytes)
//	if errors.Is(err, httpin.ErrBodyTooLarge) {
//		// 413
//	}
package httpin
