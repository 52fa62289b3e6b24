package channelmanager_test

import (
	"encoding/json"
	"testing"

	"github.com/mewskit/mews-go/channelmanager"
	"github.com/mewskit/mews-go/channelmanager/internal/chmtest"
	"github.com/mewskit/mews-go/internal/benchcmp"
)

// BenchmarkDecodeConfiguration decodes the reference getConfiguration response into the
// typed Configuration (exact amounts, dates, tolerant decoders) and, in the same
// run, into map[string]any with plain encoding/json, and reports the ratios.
func BenchmarkDecodeConfiguration(b *testing.B) {
	data := chmtest.Read(b, "cm_getconfiguration_response.json")
	typed := func() {
		var cfg channelmanager.Configuration
		if err := json.Unmarshal(data, &cfg); err != nil {
			b.Fatal(err)
		}
	}
	raw := func() {
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			b.Fatal(err)
		}
	}
	benchcmp.Ratios(b, 50, typed, raw)
}
