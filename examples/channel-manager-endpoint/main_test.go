package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestRun_EndpointReceivesEveryPushAndConfirmsThePrices(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"availability  DBL 2026-12-24..2026-12-26: 4 free",
		"answered      updateAvailability (attempt 2): success",
		"price         FLEX/DBL 2026-12-24..2026-12-26: 129.9 EUR for 2",
		"answered      updatePrices (attempt 1): success, asyncConfirmation true",
		"restriction   FLEX/DBL 2026-12-31..2026-12-31: state [2 6]",
		"connection    updated",
		"booking       CHM-77: reservation 01 is Mews 4711",
		"mews got      processRateConfirmation",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if n := strings.Count(out.String(), "availability  DBL"); n != 1 {
		t.Errorf("the redelivered availability was applied %d times, want 1", n)
	}
}
