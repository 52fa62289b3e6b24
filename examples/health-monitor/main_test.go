package main

import (
	"strings"
	"testing"

	"github.com/mewskit/mews-go/examples/internal/exampleenv"
	"github.com/mewskit/mews-go/internal/leakscan"
	"github.com/mewskit/mews-go/mewstest"
)

func TestRun_PrintsEveryStatusChangeOfADayAtTheHotel(t *testing.T) {
	_, text := exampleenv.Output(t, run)
	for _, want := range []string{
		"grand-hotel/doors            Unknown → Connected",
		"grand-hotel/channel-manager  Unknown → Connected",
		"grand-hotel/doors            Connected → Broken: connection: the integration was disabled in Mews",
		"grand-hotel/doors            Broken → Connected",
		"webhook IntegrationApiKeyCreated for grand-hotel/doors",
		"grand-hotel/channel-manager  Connected → Broken: mews: getConfiguration: connection not found (3)",
		"  grand-hotel/doors            Connected Mewstest Grand Hotel",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	// The order of the story, after the two initial checks.
	disabled := strings.Index(text, "Connected → Broken: connection: the integration was disabled")
	enabled := strings.Index(text, "Broken → Connected")
	deactivated := strings.Index(text, "connection not found (3)")
	if !(disabled < enabled && enabled < deactivated) {
		t.Errorf("the changes are out of order:\n%s", text)
	}
	leakscan.Check(t, "the output", text, mewstest.AccessToken, mewstest.ConnectionToken, mewstest.ClientToken)
}
