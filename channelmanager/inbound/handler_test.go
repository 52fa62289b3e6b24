package inbound_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager"
	"github.com/mewskit/mews-go/channelmanager/inbound"
	"github.com/mewskit/mews-go/channelmanager/internal/chmtest"
	"github.com/mewskit/mews-go/mewstest"
)

// fakeReceiver records every call and answers with reply and err (or panics).
type fakeReceiver struct {
	mu    sync.Mutex
	calls []received
	reply inbound.Reply
	err   error
	panic bool
}

// received is one call the fake got.
type received struct {
	op  string
	req any
}

func (f *fakeReceiver) record(op string, req any) (inbound.Reply, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, received{op, req})
	if f.panic {
		panic("receiver bug")
	}
	return f.reply, f.err
}

func (f *fakeReceiver) got() []received {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]received(nil), f.calls...)
}

func (f *fakeReceiver) UpdatePrices(_ context.Context, r *inbound.PricesUpdate) (inbound.Reply, error) {
	return f.record("updatePrices", r)
}
func (f *fakeReceiver) UpdateAvailability(_ context.Context, r *inbound.AvailabilityUpdate) (inbound.Reply, error) {
	return f.record("updateAvailability", r)
}
func (f *fakeReceiver) UpdateRestrictions(_ context.Context, r *inbound.RestrictionsUpdate) (inbound.Reply, error) {
	return f.record("updateRestrictions", r)
}
func (f *fakeReceiver) ConfirmGroup(_ context.Context, r *inbound.BookingConfirmation) error {
	_, err := f.record("confirmGroup", r)
	return err
}
func (f *fakeReceiver) ChangeNotification(_ context.Context, r *inbound.ChangeNotification) error {
	_, err := f.record("changeNotification", r)
	return err
}
func (f *fakeReceiver) ProcessAvailabilityBlock(_ context.Context, r *inbound.AvailabilityBlockPush) error {
	_, err := f.record("processAvailabilityBlock", r)
	return err
}
func (f *fakeReceiver) ProcessGroup(_ context.Context, r *inbound.GroupPush) error {
	_, err := f.record("processGroup", r)
	return err
}

// chmURL is where the tests pretend the channel manager lives.
const chmURL = "https://chm.example/mews"

// setup returns a fake Mews and an Endpoint calling a Handler for recv in-process.
func setup(t *testing.T, recv inbound.Receiver, opts ...inbound.Option) (*mewstest.Server, *mewstest.Endpoint, *inbound.Handler) {
	t.Helper()
	srv := mewstest.NewServer(mewstest.WithInProcess())
	t.Cleanup(srv.Close)
	h, err := inbound.NewHandler(mewstest.ChannelManagerClientToken, recv, opts...)
	if err != nil {
		t.Fatalf("NewHandler: %v", err)
	}
	return srv, srv.NewEndpoint(chmURL, mewstest.WithEndpointHandler(h)), h
}

// push makes one call and fails the test if the body could not be encoded.
func push(t *testing.T, ep *mewstest.Endpoint, op string, body any) mewstest.Delivery {
	t.Helper()
	d, err := ep.Push(t.Context(), op, body)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func date(s string) mews.Date {
	d, err := mews.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func amount(s string) mews.Amount {
	a, err := mews.ParseAmount(s)
	if err != nil {
		panic(err)
	}
	return a
}

func intp(n int) *int { return &n }

// tokenCmp compares tokens by value; cmp cannot see inside them otherwise.
var tokenCmp = cmp.Comparer(func(a, b mews.Token) bool { return a.Reveal() == b.Reveal() })

func connection(t *testing.T) mews.Token {
	tok, err := mews.NewToken(mewstest.ConnectionToken)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestHandler_InventoryPushesRoundTripTheReferenceExamples(t *testing.T) {
	conn := connection(t)
	client, err := mews.NewToken(mewstest.ChannelManagerClientToken)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		op   string
		file string
		want any
	}{
		{"updatePrices", "updatePrices.json", &inbound.PricesUpdate{
			Message: inbound.Message{ClientToken: client, ConnectionToken: conn, MessageID: "66511e1d-2405-4e49-914b-b0c800d802c9",
				ResponseURL: "https://api.mews-demo.com/api/channelManager/v1/processRateConfirmation"},
			RatePrices: []inbound.RatePrice{{
				SpaceTypeCode: "D1", RatePlanCode: "FF", From: date("2020-02-05"), To: date("2020-02-07"),
				Prices: []channelmanager.Price{
					{GrossAmount: amount("100.00"), NetAmount: amount("93.46"), CurrencyCode: "EUR", GuestCount: 1},
					{GrossAmount: amount("100"), NetAmount: amount("93.46"), CurrencyCode: "EUR", GuestCount: 2},
				},
				AgePrices: []inbound.AgePrice{{
					Price:           channelmanager.Price{GrossAmount: amount("100"), NetAmount: amount("100"), CurrencyCode: "EUR", GuestCount: 1},
					AgeCategoryCode: "Adult",
				}},
			}},
			DependentRates: []inbound.DependentRate{{RateCode: "123456", BaseRateCode: "789", Adjustments: []inbound.RateAdjustment{{
				StartDate: date("2020-02-05"), EndDate: date("2020-02-07"), RelativeValue: amount("10"), AbsoluteValue: amount("10"),
			}}}},
		}},
		{"updateAvailability", "updateAvailability.json", &inbound.AvailabilityUpdate{
			Message: inbound.Message{ClientToken: client, ConnectionToken: conn, MessageID: "66511e1d-2405-4e49-914b-b0c800d802ca",
				ResponseURL: "https://api.mews-demo.com/api/channelManager/v1/processAvailabilityConfirmation"},
			Availabilities: []inbound.Availability{{SpaceTypeCode: "QD", From: date("2020-01-01"), To: date("2020-01-31"), Availability: 10}},
		}},
		{"updateRestrictions", "updateRestrictions.json", &inbound.RestrictionsUpdate{
			Message: inbound.Message{ClientToken: client, ConnectionToken: conn, MessageID: "66511e1d-2405-4e49-914b-b0c800d802cb",
				ResponseURL: "https://api.mews-demo.com/api/channelManager/v1/processRestrictionConfirmation"},
			Restrictions: []inbound.Restriction{
				{SpaceTypeCode: "QD", RatePlanCode: "FF", From: date("2020-01-01"), To: date("2020-01-31"),
					State: []inbound.RestrictionState{inbound.RestrictionOpen}, MinLos: intp(1), MaxLos: intp(7)},
				{SpaceTypeCode: "KD", RatePlanCode: "NR", From: date("2020-01-01"), To: date("2020-01-01"),
					State: []inbound.RestrictionState{inbound.RestrictionClosed, inbound.RestrictionClosedToStay}},
			},
		}},
		{"changeNotificaton", "changeNotificaton.json", &inbound.ChangeNotification{ClientToken: client, ConnectionToken: conn, Type: inbound.ChangeCreated}},
		{"confirmGroup", "confirmGroup.json", &inbound.BookingConfirmation{
			ClientToken: client, ConnectionToken: conn, RelatedMessageID: "MyWeddingMessage789456123", ChannelManagerID: "123456",
			Reservations: []channelmanager.ReservationConfirmation{{Code: "01", ConfirmationNumber: "PMS-001"}},
		}},
		{"confirmGroup", "confirmGroup_failure.json", &inbound.BookingConfirmation{
			ClientToken: client, ConnectionToken: conn, RelatedMessageID: "MyWeddingMessage789456123", ChannelManagerID: "123456",
			Errors: []mews.ErrorDetail{{Code: mews.CodeSpaceNotFound, Message: "There is no space type with mapping code 'ST'."}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			recv := &fakeReceiver{}
			_, ep, _ := setup(t, recv)
			d := push(t, ep, tt.op, chmtest.Read(t, tt.file))
			if !d.Accepted || d.Async || d.Err != nil {
				t.Fatalf("delivery = %+v, want accepted synchronously", d)
			}
			if string(d.Body) != `{"success":true,"asyncConfirmation":false}`+"\n" {
				t.Errorf("answer = %s, want the simple envelope", d.Body)
			}
			calls := recv.got()
			if len(calls) != 1 {
				t.Fatalf("receiver called %d times, want 1", len(calls))
			}
			if diff := cmp.Diff(tt.want, calls[0].req, tokenCmp); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHandler_ServesBothSpellingsOfChangeNotification(t *testing.T) {
	recv := &fakeReceiver{}
	_, ep, _ := setup(t, recv)
	for _, op := range []string{"changeNotificaton", "changeNotification"} {
		if d := push(t, ep, op, `{"type": 3}`); !d.Accepted {
			t.Errorf("%s: %+v, want accepted", op, d)
		}
	}
	for _, c := range recv.got() {
		if got := c.req.(*inbound.ChangeNotification).Type; got != inbound.ChangeDeactivated {
			t.Errorf("type = %v, want deactivated", got)
		}
	}
	if n := len(recv.got()); n != 2 {
		t.Errorf("receiver called %d times, want 2", n)
	}
}

func TestHandler_WrongClientTokenGetsCode8(t *testing.T) {
	for _, op := range []string{"updatePrices", "updateAvailability", "updateRestrictions", "confirmGroup",
		"changeNotificaton", "processAvailabilityBlock", "processGroup"} {
		t.Run(op, func(t *testing.T) {
			recv := &fakeReceiver{}
			_, ep, _ := setup(t, recv)
			d := push(t, ep, op, map[string]any{"clientToken": "not-the-agreed-token", "type": 0})
			want := []mews.ErrorDetail{{Code: mews.CodeInvalidAuthentication, Message: "Invalid 'clientToken'."}}
			if d.Accepted || d.Status != http.StatusOK || !cmp.Equal(d.Errors, want) {
				t.Errorf("delivery = %+v, want HTTP 200 with %v", d, want)
			}
			if n := len(recv.got()); n != 0 {
				t.Errorf("receiver called %d times, want 0", n)
			}
		})
	}
}

func TestHandler_MissingClientTokenGetsCode8ExceptOnAvailabilityBlocks(t *testing.T) {
	recv := &fakeReceiver{}
	_, ep, _ := setup(t, recv)
	if d := push(t, ep, "updatePrices", `{"clientToken": null}`); d.Accepted || len(d.Errors) != 1 || d.Errors[0].Code != mews.CodeInvalidAuthentication {
		t.Errorf("updatePrices without clientToken: %+v, want code 8", d)
	}
	block := strings.Replace(string(chmtest.Read(t, "processAvailabilityBlock.json")), "{", `{"clientToken": null,`, 1)
	if d := push(t, ep, "processAvailabilityBlock", block); !d.Accepted {
		t.Errorf("processAvailabilityBlock without clientToken (as documented): %+v, want accepted", d)
	}

	_, strict, _ := setup(t, recv, inbound.WithStrictBlockAuthentication())
	if d := push(t, strict, "processAvailabilityBlock", block); d.Accepted {
		t.Errorf("strict processAvailabilityBlock without clientToken: %+v, want code 8", d)
	}
}

func TestHandler_MalformedInputGetsCode6WithoutCallingTheReceiver(t *testing.T) {
	valid := `{"clientToken":"` + mewstest.ChannelManagerClientToken + `","connectionToken":"c","messageId":"m","availabilities":[]}`
	tests := []struct {
		name        string
		method      string
		path        string
		contentType string
		body        string
		wantMessage string
	}{
		{"GET", http.MethodGet, "/updateAvailability", "application/json", valid, "Method GET is not allowed"},
		{"form body", http.MethodPost, "/updateAvailability", "application/x-www-form-urlencoded", valid, "Content type"},
		{"empty body", http.MethodPost, "/updateAvailability", "application/json", "", "The body is empty"},
		{"truncated JSON", http.MethodPost, "/updateAvailability", "application/json", valid[:40], "malformed JSON"},
		{"array", http.MethodPost, "/updateAvailability", "application/json", `[1]`, "cannot be read as a JSON object"},
		{"oversized", http.MethodPost, "/updateAvailability", "application/json", valid + strings.Repeat(" ", 1024), "larger than 512 bytes"},
		{"unknown operation", http.MethodPost, "/updateEverything", "application/json", valid, `Unknown operation "updateEverything"`},
		{"wrong type", http.MethodPost, "/updateAvailability", "application/json",
			strings.Replace(valid, `"availabilities":[]`, `"availabilities":[{"spaceTypeCode":"QD","from":"2020-01-01","to":"2020-01-02","availability":"ten"}]`, 1),
			`field "availabilities.availability" has a JSON string where a number was expected`},
		{"bad date", http.MethodPost, "/updateAvailability", "application/json",
			strings.Replace(valid, `"availabilities":[]`, `"availabilities":[{"spaceTypeCode":"QD","from":"2020-13-01","to":"2020-01-02","availability":1}]`, 1),
			"The body does not match updateAvailability"},
		{"missing messageId", http.MethodPost, "/updateAvailability", "application/json",
			strings.Replace(valid, `"messageId":"m",`, "", 1), "messageId is missing."},
		{"availability without its count", http.MethodPost, "/updateAvailability", "application/json",
			strings.Replace(valid, `"availabilities":[]`, `"availabilities":[{"spaceTypeCode":"QD","from":"2020-01-01","to":"2020-01-02"}]`, 1),
			"availability is missing."},
		{"change notification without its type", http.MethodPost, "/changeNotificaton", "application/json",
			`{"clientToken":"` + mewstest.ChannelManagerClientToken + `","connectionToken":"c"}`, "type is missing."},
		{"missing item field", http.MethodPost, "/updateAvailability", "application/json",
			strings.Replace(valid, `"availabilities":[]`, `"availabilities":[{"from":"2020-01-01","to":"2020-01-02","availability":1}]`, 1),
			"availabilities[0].spaceTypeCode is missing."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recv := &fakeReceiver{}
			h, err := inbound.NewHandler(mewstest.ChannelManagerClientToken, recv, inbound.WithMaxBodyBytes(512))
			if err != nil {
				t.Fatal(err)
			}
			req := httptest.NewRequest(tt.method, "/mews"+tt.path, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", tt.contentType)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)

			if rec.Code != http.StatusOK {
				t.Errorf("status = %d, want 200", rec.Code)
			}
			var env struct {
				Success bool
				Errors  []mews.ErrorDetail
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
				t.Fatalf("answer %q is not an envelope: %v", rec.Body, err)
			}
			if env.Success || len(env.Errors) != 1 || env.Errors[0].Code != mews.CodeValidation ||
				!strings.Contains(env.Errors[0].Message, tt.wantMessage) {
				t.Errorf("answer = %s, want code 6 mentioning %q", rec.Body, tt.wantMessage)
			}
			if n := len(recv.got()); n != 0 {
				t.Errorf("receiver called %d times, want 0", n)
			}
		})
	}
}

func TestHandler_ReceiverRefusalsKeepTheirCodes(t *testing.T) {
	recv := &fakeReceiver{err: inbound.Reject(
		inbound.RateError("FF", "Unknown rate FF; map it in the channel manager."),
		inbound.CategoryError("XYZ", "Unknown category XYZ."),
		inbound.RateCategoryError("NR", "KD", "KD is not sold under NR."),
	)}
	_, ep, _ := setup(t, recv)
	d := push(t, ep, "updatePrices", chmtest.Read(t, "updatePrices.json"))
	want := []mews.ErrorDetail{
		{Code: mews.CodeRateError, Message: "Unknown rate FF; map it in the channel manager.", RateCode: "FF"},
		{Code: mews.CodeCategoryError, Message: "Unknown category XYZ.", CategoryCode: "XYZ"},
		{Code: mews.CodeRateCategoryError, Message: "KD is not sold under NR.", RateCode: "NR", CategoryCode: "KD"},
	}
	if d.Accepted {
		t.Fatal("accepted a refused push")
	}
	if diff := cmp.Diff(want, d.Errors); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestHandler_OtherReceiverErrorsBecomeCode1WithoutDetails(t *testing.T) {
	for name, recv := range map[string]*fakeReceiver{
		"plain error":         {err: errors.New("database password expired for user chm")},
		"error from Mews API": {err: &mews.APIError{API: mews.ChannelManagerAPI, Errors: []mews.ErrorDetail{{Code: 3, Message: "gone"}}}},
		"panic":               {panic: true},
	} {
		t.Run(name, func(t *testing.T) {
			_, ep, _ := setup(t, recv)
			d := push(t, ep, "updateAvailability", chmtest.Read(t, "updateAvailability.json"))
			if d.Accepted || d.Status != http.StatusOK || len(d.Errors) != 1 || d.Errors[0].Code != mews.CodeSystemError {
				t.Fatalf("delivery = %+v, want HTTP 200 with code 1", d)
			}
			for _, leak := range []string{"password", "gone", "receiver bug", "goroutine"} {
				if strings.Contains(string(d.Body), leak) {
					t.Errorf("answer %s leaks %q", d.Body, leak)
				}
			}
		})
	}
}

func TestHandler_RedeliveredMessageIsAppliedOnce(t *testing.T) {
	recv := &fakeReceiver{reply: inbound.Async}
	_, ep, _ := setup(t, recv, inbound.WithDeduplication(100))
	first := push(t, ep, "updateRestrictions", chmtest.Read(t, "updateRestrictions.json"))
	again := push(t, ep, "updateRestrictions", chmtest.Read(t, "updateRestrictions.json"))

	if !first.Accepted || !again.Accepted {
		t.Fatalf("deliveries = %+v, %+v; want both accepted", first, again)
	}
	if !again.Async || again.Attempt != 2 {
		t.Errorf("redelivery = %+v, want the first answer (async) on attempt 2", again)
	}
	if n := len(recv.got()); n != 1 {
		t.Errorf("receiver called %d times, want 1", n)
	}
}

func TestHandler_RefusedMessageIsProcessedAgainWhenRedelivered(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		recv := &fakeReceiver{err: inbound.Reject()}
		_, ep, _ := setup(t, recv, inbound.WithDeduplication(100))
		go func() { // the channel manager recovers after the first attempt
			time.Sleep(30 * time.Second)
			recv.mu.Lock()
			recv.err = nil
			recv.mu.Unlock()
		}()
		d, err := ep.PushUntilAccepted(t.Context(), "updateAvailability", chmtest.Read(t, "updateAvailability.json"))
		if err != nil {
			t.Fatal(err)
		}
		if d.Attempt != 2 {
			t.Errorf("accepted on attempt %d, want 2 (Mews redelivers a minute later)", d.Attempt)
		}
		if n := len(recv.got()); n != 2 {
			t.Errorf("receiver called %d times, want 2", n)
		}
	})
}

func TestHandler_NeverAnswersAStackTraceOrNon200(t *testing.T) {
	h, err := inbound.NewHandler("token", &fakeReceiver{panic: true})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/changeNotificaton", strings.NewReader(`{"clientToken":"token","connectionToken":"c","type":1}`))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "goroutine") || !strings.Contains(rec.Body.String(), `"code":1`) {
		t.Errorf("answer = %d %s, want 200 with code 1 and no stack", rec.Code, rec.Body)
	}
}

func TestNewHandler_RejectsAnEmptyClientToken(t *testing.T) {
	if _, err := inbound.NewHandler("  ", &fakeReceiver{}); !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("err = %v, want ErrInvalidInput", err)
	}
}

func TestHandler_GroupAndBlockPushesRoundTripTheReferenceExamples(t *testing.T) {
	recv := &fakeReceiver{}
	_, ep, _ := setup(t, recv)
	for _, op := range []string{"processGroup", "processAvailabilityBlock"} {
		if d := push(t, ep, op, chmtest.Read(t, op+".json")); !d.Accepted || d.Async {
			t.Fatalf("%s: delivery = %+v, want accepted", op, d)
		}
	}
	calls := recv.got()
	if len(calls) != 2 {
		t.Fatalf("receiver called %d times, want 2", len(calls))
	}

	g := calls[0].req.(*inbound.GroupPush)
	r := g.Reservations[0]
	got := []any{g.ClientToken.Reveal(), g.ConnectionToken.Reveal(), g.MessageID, g.ChannelManagerID, g.AvailabilityBlockConfirmationNumber,
		g.Customer.LastName, g.Company.Contact.Telephone, len(g.Reservations), r.ConfirmationNumber, *r.TimeState,
		r.From, r.To, r.Amounts[1].Gross.String(), r.PaymentCardData.ObfuscatedNumber, g.Reservations[1].IsCanceled(),
		g.TotalAmount.Net.String()}
	want := []any{mewstest.ChannelManagerClientToken, mewstest.ConnectionToken, "66511e1d-2405-4e49-914b-b0c800d802cd", "123456", "55",
		"Smith", "+420 000 000 000", 2, "Mews456", channelmanager.TimeStateConfirmed,
		date("2020-05-05"), date("2020-05-07"), "120", "41111*******1111", true,
		"469.8"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("group (-want +got):\n%s", diff)
	}

	b := calls[1].req.(*inbound.AvailabilityBlockPush)
	blk := b.AvailabilityBlock
	sc := blk.SpaceCategories[0]
	got = []any{b.ClientToken.Reveal(), b.ConnectionToken.Reveal(), b.MessageID, blk.Code, blk.ConfirmationNumber, blk.Status.IsCreate(),
		blk.Dates.Start, blk.ReleaseStrategy.FixedDate, sc.SpaceTypeCode, sc.OccupiedSpaces[0].Count,
		sc.Rates[0].Prices[0].NetAmount.String(), blk.Booker.LoyaltyInfo.TierCode, blk.PickupType}
	want = []any{mewstest.ChannelManagerClientToken, mewstest.ConnectionToken, "66511e1d-2405-4e49-914b-b0c800d802cc", "", "2", true,
		date("2023-12-05"), date("2023-12-04"), "D", 1,
		"93.46", "Gold", channelmanager.PickupAllInOneGroup}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("block (-want +got):\n%s", diff)
	}
}

func TestHandler_RedeliveryDuringProcessingGetsCode1(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	recv := &blockingReceiver{entered: entered, release: release}
	_, ep, _ := setup(t, recv, inbound.WithDeduplication(10))
	first := make(chan mewstest.Delivery)
	body := chmtest.Read(t, "updateAvailability.json")
	go func() {
		d, _ := ep.Push(context.Background(), "updateAvailability", body) // a []byte body always encodes
		first <- d
	}()
	<-entered
	during := push(t, ep, "updateAvailability", chmtest.Read(t, "updateAvailability.json"))
	close(release)
	if d := <-first; !d.Accepted {
		t.Errorf("first delivery = %+v, want accepted", d)
	}
	if during.Accepted || len(during.Errors) != 1 || during.Errors[0].Code != mews.CodeSystemError {
		t.Errorf("redelivery during processing = %+v, want code 1 so that Mews sends it again later", during)
	}
}

// blockingReceiver holds UpdateAvailability until release is closed.
type blockingReceiver struct {
	fakeReceiver
	entered, release chan struct{}
}

func (b *blockingReceiver) UpdateAvailability(context.Context, *inbound.AvailabilityUpdate) (inbound.Reply, error) {
	close(b.entered)
	<-b.release
	return inbound.Done, nil
}

func TestHandler_LogsErrorCodesThatLackTheirRateOrCategoryCode(t *testing.T) {
	var logs strings.Builder
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	recv := &fakeReceiver{err: inbound.Reject(mews.ErrorDetail{Code: mews.CodeRateError, Message: "Unknown rate."})}
	_, ep, _ := setup(t, recv, inbound.WithLogger(logger))
	d := push(t, ep, "updatePrices", chmtest.Read(t, "updatePrices.json"))
	if len(d.Errors) != 1 || d.Errors[0].Code != mews.CodeRateError {
		t.Fatalf("errors = %v, want the receiver's code 9 passed on", d.Errors)
	}
	if !strings.Contains(logs.String(), "requires rateCode") {
		t.Errorf("log lacks the missing rateCode warning:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), mewstest.ChannelManagerClientToken) || strings.Contains(logs.String(), mewstest.ConnectionToken) {
		t.Error("the log contains a token") // not quoted: it holds the token
	}
}
