package properties_test

import (
	"encoding/json"
	"testing"

	"github.com/mewskit/mews-go/internal/benchcmp"
	"github.com/mewskit/mews-go/internal/chm/chmtest"
	"github.com/mewskit/mews-go/properties"
)

// BenchmarkDecodeConfiguration decodes the reference getConfiguration response into the
// typed PropertyConfiguration (exact amounts, dates, tolerant decoders) and, in the same
// run, into map[string]any with plain encoding/json, and reports the ratios.
func BenchmarkDecodeConfiguration(b *testing.B) {
	data := chmtest.Read(b, "cm_getconfiguration_response.json")
	typed := func() {
		var cfg properties.PropertyConfiguration
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
