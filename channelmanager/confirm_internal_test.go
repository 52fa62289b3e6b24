package channelmanager

import (
	"errors"
	"testing"

	mews "github.com/mewskit/mews-go"
)

func TestMessageIDsAreUniqueUUIDs(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := newMessageID()
		if len(id) != 36 || id[14] != '4' || seen[id] {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
	}
}

func TestConfirmationTargetStaysOnThePlatform(t *testing.T) {
	env := mews.Environment{BaseURL: "https://api.mews-demo.com"}
	const confirmation = "/api/channelManager/v1/processRateConfirmation"
	for in, want := range map[string]string{
		"https://api.mews-demo.com" + confirmation:                                   "https://api.mews-demo.com" + confirmation,
		" https://API.mews-demo.com/api/channelManager/v2/processGroupConfirmation ": "https://API.mews-demo.com/api/channelManager/v2/processGroupConfirmation",
		"https://api.mews-demo.com/api/channelManager/v1/setInventory":               "",
		"https://api.mews-demo.com/api/channelManager/v1/requestAriUpdate":           "",
		"https://api.mews-demo.com/":                                                 "",
		"http://api.mews-demo.com" + confirmation:                                    "",
		"https://api.mews-demo.com.evil.test" + confirmation:                         "",
		"":            "",
		"::not a url": "",
		"https://api.mews-demo.com@evil.test" + confirmation:   "",
		"https://evil.test@api.mews-demo.com" + confirmation:   "",
		"https://user:secret@api.mews-demo.com" + confirmation: "",
		"https://api.mews-demo.com:8443" + confirmation:        "",
		"//api.mews-demo.com" + confirmation:                   "",
		confirmation:                                           "",
		"https://api.mews.com" + confirmation:                  "",
	} {
		if got := confirmationTarget(env, in); got != want {
			t.Errorf("confirmationTarget(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestConfirmationCheckTheFieldsEveryConfirmationShares(t *testing.T) {
	errs := []mews.ErrorDetail{{Code: mews.CodeRateError, Message: "m", RateCode: "R"}}
	for _, tc := range []struct {
		related string
		success bool
		errs    []mews.ErrorDetail
		ok      bool
	}{
		{"m", true, nil, true},
		{"m", false, errs, true},
		{"", true, nil, false},
		{"m", true, errs, false},
		{"m", false, nil, false},
		{"m", false, []mews.ErrorDetail{{Message: "no code"}}, false},
	} {
		c := Confirmation{RelatedMessageID: tc.related, Success: tc.success, Errors: tc.errs}
		err := c.check(opProcessRateConfirmation)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, mews.ErrInvalidInput)) {
			t.Errorf("%+v: %v", tc, err)
		}
	}
}

func TestConfirmationTargetIsTheDefaultPathForAHandleWithoutEnvironment(t *testing.T) {
	if got := confirmationTarget(mews.Environment{}, "https://api.mews-demo.com/api/channelManager/v1/processRateConfirmation"); got != "" {
		t.Errorf("confirmationTarget = %q, want the default path", got)
	}
}
