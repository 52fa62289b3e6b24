package connector_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/mewskit/mews-go/connector"
	"github.com/mewskit/mews-go/internal/leakscan"
)

// A distinctive door PIN: nothing else in the printed text can produce it.
const redactPIN = "PIN-REDACT-4f7c2e9a1b"

// printedEveryWay renders v under every fmt verb and through slog's JSON and text
// handlers (without the record time).
func printedEveryWay(v any) string {
	var out bytes.Buffer
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		fmt.Fprintf(&out, "%s: "+verb+"\n", verb, v)
	}
	opts := &slog.HandlerOptions{ReplaceAttr: leakscan.DropTime}
	slog.New(slog.NewJSONHandler(&out, opts)).Info("value", "v", v)
	slog.New(slog.NewTextHandler(&out, opts)).Info("value", "v", v)
	return out.String()
}

func TestRequestsThatCarryADoorPINPrintItRedacted(t *testing.T) {
	pin := redactPIN
	add := connector.MultipleResourceAccessTokenParameters{
		ResourceAccessTokenParameters: []connector.ResourceAccessTokenParameters{{Value: pin}},
	}
	update := connector.MultipleResourceAccessTokenUpdateParameters{
		ResourceAccessTokenUpdates: []connector.ResourceAccessTokenUpdateParameters{{Value: &connector.StringUpdateValue{Value: &pin}}},
	}
	for name, v := range map[string]any{
		"add params": add, "*add params": &add, "one credential to add": add.ResourceAccessTokenParameters[0],
		"update params": update, "one credential update": update.ResourceAccessTokenUpdates[0],
	} {
		printed := printedEveryWay(v)
		leakscan.Check(t, name, printed, redactPIN)
		// An update's value sits behind a pointer, which fmt prints as an address; an
		// added credential's value is printed in place, redacted.
		if !strings.Contains(name, "update") && !strings.Contains(printed, "[redacted]") {
			t.Errorf("%s: printed without a [redacted] marker, so the walk did not reach the PIN:\n%s", name, printed)
		}
	}
}
