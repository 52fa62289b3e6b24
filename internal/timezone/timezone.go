// Package timezone loads the IANA time zones that Mews names, for the Connector's
// enterprises and the Channel Manager's properties alike.
package timezone

import (
	"fmt"
	"time"
)

// Load loads an IANA time zone that Mews named, refusing the names that
// time.LoadLocation resolves without the tz database ("" and "Local"): they would
// quietly give UTC or the machine's zone and shift a hotel's dates without a word.
func Load(id string) (*time.Location, error) {
	if id == "" || id == "Local" {
		return nil, fmt.Errorf("mews: time zone %q: want an IANA identifier such as Europe/Prague", id)
	}
	return time.LoadLocation(id)
}
