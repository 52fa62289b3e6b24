package mews_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/mewskit/mews-go"
)

func TestAPIErrorMatchesTheSentinelOfItsHTTPStatus(t *testing.T) {
	tests := []struct {
		status int
		want   error
	}{
		{http.StatusBadRequest, mews.ErrValidation},
		{http.StatusUnauthorized, mews.ErrInvalidAuthentication},
		{http.StatusForbidden, mews.ErrProcessing},
		{http.StatusRequestTimeout, mews.ErrTimeout},
		{http.StatusConflict, mews.ErrConflict},
		{http.StatusGone, mews.ErrDiscontinued},
		{http.StatusRequestEntityTooLarge, mews.ErrBodyTooLarge},
		{http.StatusTooManyRequests, mews.ErrRateLimited},
		{http.StatusInternalServerError, mews.ErrSystem},
		{http.StatusBadGateway, mews.ErrSystem},
	}
	for _, tt := range tests {
		err := error(&mews.APIError{API: mews.ConnectorAPI, StatusCode: tt.status})
		if !errors.Is(err, tt.want) {
			t.Errorf("HTTP %d: errors.Is(err, %v) = false", tt.status, tt.want)
		}
		if errors.Is(err, mews.ErrConnectionNotFound) {
			t.Errorf("HTTP %d matches ErrConnectionNotFound", tt.status)
		}
	}
}

func TestAPIErrorMatchesTheSentinelOfEachChannelManagerCode(t *testing.T) {
	tests := []struct {
		code mews.ErrorCode
		from mews.API
		want error
	}{
		{1, mews.ChannelManagerAPI, mews.ErrSystem},
		{2, mews.ChannelManagerAPI, mews.ErrReservationNotFound},
		{3, mews.ChannelManagerAPI, mews.ErrConnectionNotFound},
		{4, mews.ChannelManagerEndpoint, mews.ErrCategory},
		{5, mews.ChannelManagerEndpoint, mews.ErrRate},
		{6, mews.ChannelManagerAPI, mews.ErrValidation},
		{7, mews.ChannelManagerAPI, mews.ErrProcessing},
		{8, mews.ChannelManagerAPI, mews.ErrInvalidAuthentication},
		{9, mews.ChannelManagerAPI, mews.ErrOperationDisabled},
		{9, mews.ChannelManagerEndpoint, mews.ErrRate},
		{10, mews.ChannelManagerEndpoint, mews.ErrCategory},
		{11, mews.ChannelManagerEndpoint, mews.ErrRateCategory},
		{12, mews.ChannelManagerEndpoint, mews.ErrAvailability},
		{13, mews.ChannelManagerEndpoint, mews.ErrPrices},
		{14, mews.ChannelManagerEndpoint, mews.ErrRestrictions},
	}
	for _, tt := range tests {
		err := error(&mews.APIError{API: tt.from, StatusCode: 200, Errors: []mews.ErrorDetail{{Code: tt.code}}})
		if !errors.Is(err, tt.want) {
			t.Errorf("code %d from %s: errors.Is(err, %v) = false", tt.code, tt.from, tt.want)
		}
	}
}

func TestAPIErrorWithSeveralCodesMatchesEach(t *testing.T) {
	err := error(mews.NewChannelManagerError("updatePrices",
		mews.ErrorDetail{Code: mews.CodeRateError, Message: "Invalid rate code", RateCode: "ABC"},
		mews.ErrorDetail{Code: mews.CodeCategoryError, Message: "Invalid category code", CategoryCode: "XYZ"}))
	for _, want := range []error{mews.ErrRate, mews.ErrCategory} {
		if !errors.Is(err, want) {
			t.Errorf("errors.Is(err, %v) = false", want)
		}
	}
	if errors.Is(err, mews.ErrOperationDisabled) {
		t.Error("a channel manager's code 9 matches ErrOperationDisabled; it is a rate error")
	}
	for _, part := range []string{"updatePrices", "rate error (9): Invalid rate code [rate ABC]", "category error (10): Invalid category code [category XYZ]"} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("Error() = %q, want it to contain %q", err.Error(), part)
		}
	}
}

func TestAPIErrorTextCarriesStatusMessageAndRequestID(t *testing.T) {
	err := &mews.APIError{API: mews.ConnectorAPI, Operation: "resourceAccessTokens/add", StatusCode: 400,
		Message: "Invalid ReservationId.", RequestID: "4f1c"}
	want := "mews: resourceAccessTokens/add: HTTP 400 Bad Request: Invalid ReservationId. [RequestId 4f1c]"
	if err.Error() != want {
		t.Errorf("Error() = %q\nwant      %q", err.Error(), want)
	}
}

func TestErrorCodeReadsNumbersAndNumericStrings(t *testing.T) {
	for _, in := range []string{`3`, `"3"`} {
		var c mews.ErrorCode
		if err := c.UnmarshalJSON([]byte(in)); err != nil || c != mews.CodeConnectionNotFound {
			t.Errorf("UnmarshalJSON(%s) = %v, %v; want code 3", in, c, err)
		}
	}
	if got := mews.CodeConnectionNotFound.String(); got != "connection not found (3)" {
		t.Errorf("String() = %q", got)
	}
}

func TestInputErrorMatchesErrInvalidInput(t *testing.T) {
	err := error(&mews.InputError{Operation: "resourceAccessTokens/add", Field: "Value", Reason: "is empty"})
	if !errors.Is(err, mews.ErrInvalidInput) {
		t.Error("InputError does not match ErrInvalidInput")
	}
	if got, want := err.Error(), "mews: resourceAccessTokens/add: Value is empty"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestAPIError_ErrorStaysShortAndHintCarriesTheAdvice(t *testing.T) {
	for _, tc := range []struct {
		name            string
		err             *mews.APIError
		hint, notInHint string
	}{
		{"Connector 401", &mews.APIError{API: mews.ConnectorAPI, Operation: "configuration/get", StatusCode: 401, Message: "Invalid access token."}, "lacks permission", ""},
		{"Channel Manager code 8", &mews.APIError{API: mews.ChannelManagerAPI, Operation: "getConfiguration", StatusCode: 200,
			Errors: []mews.ErrorDetail{{Code: mews.CodeInvalidAuthentication, Message: "Invalid token."}}}, "connection token", "401"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hint := tc.err.Hint()
			if !strings.Contains(hint, tc.hint) || (tc.notInHint != "" && strings.Contains(hint, tc.notInHint)) || strings.Contains(hint, "permission") != (tc.err.API == mews.ConnectorAPI) {
				t.Errorf("Hint() = %q, want %q in it and no Connector-only advice for the Channel Manager", hint, tc.hint)
			}
			if strings.Contains(tc.err.Error(), hint) || strings.Count(tc.err.Error(), "mews:") != 1 {
				t.Errorf("Error() = %q, want it without the advice and with one mews: prefix", tc.err.Error())
			}
		})
	}
}
