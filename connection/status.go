package connection

import "fmt"

// Status is the health of one connection as a status page shows it.
type Status uint8

const (
	// Unknown means no check has decided yet: the connection was just added, or every
	// check so far failed for a transient reason (fewer times than the Degraded threshold).
	// A Result from Validate with this status is undecided; its Reason holds the error.
	Unknown Status = iota
	// Connected means Mews accepted the credentials on the last decisive check.
	Connected
	// Degraded means the last checks failed for transient reasons (rate limit, timeout,
	// 5xx, network) several times in a row; the credentials may still be fine.
	Degraded
	// Broken means Mews rejected the credentials (Connector 401 on configuration/get,
	// Channel Manager code 8 or 3) or an integration webhook said the integration was
	// disabled, canceled or deleted. The user has to act, usually by pasting a new token.
	Broken
)

// String returns the status name as shown to people ("Connected", "Broken", ...).
func (s Status) String() string {
	switch s {
	case Unknown:
		return "Unknown"
	case Connected:
		return "Connected"
	case Degraded:
		return "Degraded"
	case Broken:
		return "Broken"
	}
	return fmt.Sprintf("Status(%d)", uint8(s))
}

// MarshalText encodes the status by name, so JSON status pages read "Broken" rather than 3.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
