package pins_test

import (
	"errors"
	"testing"
	"time"

	"github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/pins"
)

func TestOperationsOnANilConnectorFailInsteadOfPanicking(t *testing.T) {
	var conn *mews.Connector
	start := time.Date(2026, 1, 1, 14, 0, 0, 0, time.UTC)
	cred := pins.Credential{ReservationID: "00000000-0000-4000-8000-000000000001", Type: pins.PinCode, Value: "1234",
		ValidityStartUtc: start, ValidityEndUtc: start.Add(48 * time.Hour)}
	_, setErr := pins.Set(t.Context(), conn, pins.SetParams{Credential: cred})
	_, addErr := pins.Add(t.Context(), conn, cred)
	for name, err := range map[string]error{"Set": setErr, "Add": addErr, "Delete": pins.Delete(t.Context(), conn, "00000000-0000-4000-8000-000000000002")} {
		if !errors.Is(err, mews.ErrInvalidInput) {
			t.Errorf("%s on a nil connector: err = %v, want ErrInvalidInput", name, err)
		}
	}
}
