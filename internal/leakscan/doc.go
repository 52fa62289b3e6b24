// Package leakscan is the one way this module's tests look for secrets in text they
// collected (logs, errors, fmt output, responses, captured bodies). A scan that fails
// by chance blocks work at random, and a scan that cannot fail proves nothing, so the
// rules live here once:
//
//   - A secret of MinLen characters or more is searched as a substring, raw and in the
//     forms fmt and encoders write it (hex of %x, URL query escaping).
//   - A shorter secret (a CVV, a PIN) cannot be told from digits that a timestamp, a
//     port, a request id or a counter produces, so it is searched only as a whole
//     token: not preceded or followed by a letter or digit. Tests that scan for one
//     must also keep clocks out of the text (slog's ReplaceAttr, DropTime).
//   - Failure messages show the text with every secret replaced by a label, so a
//     failing test does not print the secret it was protecting.
//
// Example:
//
//	leakscan.Check(t, "logs", logs.String(), mewstest.AccessToken, cvv)
package leakscan
