package main

import (
	"bufio"
	"context"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/examples/internal/exampleenv"
	"github.com/mewskit/mews-go/mewstest"
)

// testSecret is the webhook secret of the test Portals: long and distinctive, so a leak
// is found by a plain substring search.
const testSecret = "PortalWebhookSecret-5f1c0a9e7b3d4c2a8e6f0b1d9c7a5e3f"

// testPIN is the door PIN the test lock system issues, distinctive for the same reason.
const testPIN = "DoorPin-Distinctive-8d2e6b1f"

// safeBuffer is a log destination that the Portal's goroutines may share.
type safeBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// portal is a Portal on a fresh sandbox, served on a loopback test server.
type portal struct {
	app     *App
	sandbox *mewstest.Server
	srv     *httptest.Server
	logs    *safeBuffer
	client  *http.Client // does not follow redirects, so each answer can be inspected
	// bodies collects every response body read through get and post.
	bodies []string
}

// newPortal starts a Portal on the sandbox that re-checks the token every interval.
func newPortal(t *testing.T, interval time.Duration) *portal {
	t.Helper()
	env := exampleenv.ForTest(t)
	secret, err := mews.NewToken(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	logs := &safeBuffer{}
	app, err := NewApp(Settings{Client: env.Client, Sandbox: env.Sandbox, Now: env.Now, CheckInterval: interval,
		WebhookSecret: secret, IssuePIN: func() (string, error) { return testPIN, nil }, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(app)
	srv.Config = newServer(app)
	srv.Config.RegisterOnShutdown(app.Close)
	srv.Start()
	t.Cleanup(func() {
		app.Close()
		srv.Close()
	})
	jar, _ := cookiejar.New(nil)
	return &portal{app: app, sandbox: env.Sandbox, srv: srv, logs: logs, client: &http.Client{
		Jar:           jar,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// get fetches a page and returns its status and body.
func (p *portal) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := p.client.Get(p.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	return p.read(t, resp)
}

// post submits a form as the page does (same origin) and returns the status and body.
func (p *portal) post(t *testing.T, path string, form url.Values) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, p.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", p.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := p.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return p.read(t, resp)
}

func (p *portal) read(t *testing.T, resp *http.Response) (int, string) {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	p.bodies = append(p.bodies, string(b))
	return resp.StatusCode, string(b)
}

// save pastes a token into the Apps › Mews form.
func (p *portal) save(t *testing.T, pasted string) (int, string) {
	t.Helper()
	return p.post(t, "/apps/mews/token", url.Values{"token": {pasted}})
}

// badge returns the status label and hotel name a page shows.
func badge(t *testing.T, page string) (label, hotel string) {
	t.Helper()
	m := regexp.MustCompile(`id="status"[^>]*>([^<]*)</strong>\s*<span id="hotel" class="hotel">([^<]*)</span>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no status badge in the page:\n%s", page)
	}
	return html.UnescapeString(m[1]), html.UnescapeString(m[2])
}

// inlineError returns the token form's inline error as text, or "".
func inlineError(page string) string {
	m := regexp.MustCompile(`<p id="token-error"[^>]*>([^<]*)</p>`).FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

func TestSave_PasteWithStraySpacesOrLineBreaks_ShowsConnectedWithTheHotelName(t *testing.T) {
	for name, pasted := range map[string]string{
		"trailing line break":       mewstest.AccessToken + "\n",
		"Windows line break":        mewstest.AccessToken + "\r\n",
		"spaces around":             "   " + mewstest.AccessToken + "  ",
		"tab and line break before": "\t\n" + mewstest.AccessToken,
	} {
		t.Run(name, func(t *testing.T) {
			p := newPortal(t, time.Hour)
			code, _ := p.save(t, pasted)
			if code != http.StatusSeeOther {
				t.Fatalf("Save answered %d, want 303 back to the page", code)
			}
			_, page := p.get(t, "/apps/mews")
			label, hotel := badge(t, page)
			if label != "Connected" || hotel != mewstest.EnterpriseName {
				t.Errorf("badge = %q %q, want Connected %q", label, hotel, mewstest.EnterpriseName)
			}
			if e := inlineError(page); e != "" {
				t.Errorf("unexpected inline error %q", e)
			}
		})
	}
}

func TestSave_UnusableToken_ShowsAnInlineErrorSayingWhatToCheck(t *testing.T) {
	for _, tc := range []struct {
		name, pasted string
		code         int
		says         []string
	}{
		{"unknown to Mews", "5EC0DEBAD0000000000000000000BAD1-DistinctiveWrongTokenForPortalTests", http.StatusUnprocessableEntity,
			[]string{"Mews did not accept this token", "no spaces or line breaks", "ask your Mews admin for a new token"}},
		{"line break inside", mewstest.AccessToken[:20] + "\n" + mewstest.AccessToken[20:], http.StatusUnprocessableEntity,
			[]string{"whitespace at position 21", "no spaces or line breaks", "ask your Mews admin for a new token"}},
		{"space inside", mewstest.AccessToken[:30] + " " + mewstest.AccessToken[30:], http.StatusUnprocessableEntity,
			[]string{"whitespace at position 31", "no spaces or line breaks"}},
		{"empty", " \n ", http.StatusUnprocessableEntity, []string{"the field is empty", "Mews admin"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPortal(t, time.Hour)
			code, page := p.save(t, tc.pasted)
			if code != tc.code {
				t.Errorf("Save answered %d, want %d", code, tc.code)
			}
			msg := inlineError(page)
			for _, s := range tc.says {
				if !strings.Contains(msg, s) {
					t.Errorf("inline error %q does not say %q", msg, s)
				}
			}
			if label, _ := badge(t, page); label != "Not connected" {
				t.Errorf("badge = %q after a rejected token, want Not connected", label)
			}
			if _, ok := p.app.savedToken(); ok {
				t.Error("a rejected token was stored")
			}
		})
	}
}

func TestSave_RejectedToken_KeepsThePreviousConnection(t *testing.T) {
	p := newPortal(t, time.Hour)
	p.save(t, mewstest.AccessToken)
	code, page := p.save(t, "5EC0DEBAD0000000000000000000BAD1-DistinctiveWrongTokenForPortalTests")
	if code != http.StatusUnprocessableEntity || inlineError(page) == "" {
		t.Fatalf("Save of a wrong token answered %d without an inline error", code)
	}
	if label, hotel := badge(t, page); label != "Connected" || hotel != mewstest.EnterpriseName {
		t.Errorf("badge = %q %q, want the previous connection kept", label, hotel)
	}
	if tok, _ := p.app.savedToken(); tok.Reveal() != mewstest.AccessToken {
		t.Error("the saved token was replaced by a rejected one")
	}
}

func TestSave_TokenOfAnotherHotel_IsRefusedOnceAPropertyIsLinked(t *testing.T) {
	p := newPortal(t, time.Hour)
	p.save(t, mewstest.AccessToken)
	other := p.sandbox.AddAccessToken(mewstest.SecondEnterpriseID)
	code, page := p.save(t, other)
	if code != http.StatusUnprocessableEntity {
		t.Errorf("Save of another hotel's token answered %d, want 422", code)
	}
	msg := inlineError(page)
	for _, s := range []string{mewstest.SecondEnterpriseName, mewstest.EnterpriseName, "correct property's Mews token"} {
		if !strings.Contains(msg, s) {
			t.Errorf("inline error %q does not say %q", msg, s)
		}
	}
	if tok, _ := p.app.savedToken(); tok.Reveal() != mewstest.AccessToken {
		t.Error("the other hotel's token replaced the linked one")
	}
}

func TestTokens_NeverAppearInAnyPortalResponseOrLog(t *testing.T) {
	p := newPortal(t, time.Hour)
	wrong := "5EC0DEBAD0000000000000000000BAD1-DistinctiveWrongTokenForPortalTests"
	p.save(t, wrong+"\n")
	p.save(t, mewstest.AccessToken[:20]+" "+mewstest.AccessToken[20:])
	p.save(t, " "+mewstest.AccessToken+"\n")
	p.get(t, "/apps/mews")
	p.get(t, "/apps/mews/reservations")
	p.bodies = append(p.bodies, firstEvent(t, p))
	p.post(t, "/sandbox/mews/disable", nil)
	p.post(t, "/sandbox/mews/rotate", nil)
	rotated := p.app.sandboxToken
	p.save(t, rotated)
	p.get(t, "/apps/mews")
	p.get(t, "/apps/mews/reservations")

	secrets := map[string]string{
		"the sandbox token": mewstest.AccessToken, "the rotated token": rotated, "the wrong token": wrong,
		"the webhook secret": testSecret, "the client token": mewstest.ClientToken,
		// A token split by a pasted space must not come back in halves either.
		"the first half of the token": mewstest.AccessToken[:20], "the second half of the token": mewstest.AccessToken[20:],
	}
	for i, body := range p.bodies {
		for what, s := range secrets {
			if strings.Contains(body, s) {
				t.Errorf("response %d contains %s", i, what)
			}
		}
	}
	logs := p.logs.String()
	if !strings.Contains(logs, "token saved") {
		t.Fatalf("the log has no line about the saved token; did the flow run?\n%s", logs)
	}
	for what, s := range secrets {
		if strings.Contains(logs, s) {
			t.Errorf("the log contains %s", what)
		}
	}
}

// firstEvent reads the first status event from the stream.
func firstEvent(t *testing.T, p *portal) string {
	t.Helper()
	events := openStream(t, p)
	return events.next(t).raw
}

// stream reads the status events of /apps/mews/events.
type stream struct {
	lines *bufio.Scanner
	// within bounds the wait for one event by the clock, for a stream in a synctest
	// bubble, where the keep-alive comments keep coming; 0 for none.
	within time.Duration
}

// event is one decoded status event.
type event struct {
	Status
	raw string
}

// openStream subscribes to the status stream until the test ends.
func openStream(t *testing.T, p *portal) *stream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.srv.URL+"/apps/mews/events", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := p.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type = %q, want text/event-stream", ct)
	}
	return &stream{lines: bufio.NewScanner(resp.Body)}
}

// next returns the next status event. The server ends the stream when the test's
// deadline for it passes, so it cannot hang.
func (s *stream) next(t *testing.T) event {
	t.Helper()
	var raw strings.Builder
	start := time.Now()
	for s.lines.Scan() {
		line := s.lines.Text()
		if s.within > 0 && time.Since(start) > s.within {
			t.Fatalf("no status event within %v", s.within)
		}
		raw.WriteString(line + "\n")
		if data, ok := strings.CutPrefix(line, "data: "); ok {
			var ev event
			if err := json.Unmarshal([]byte(data), &ev.Status); err != nil {
				t.Fatalf("bad event %q: %v", data, err)
			}
			ev.raw = raw.String()
			return ev
		}
	}
	t.Fatalf("the status stream ended: %v", s.lines.Err())
	return event{}
}

// nextLabel skips events until one with the label comes (at most a few).
func (s *stream) nextLabel(t *testing.T, label string) event {
	t.Helper()
	for range 5 {
		if ev := s.next(t); ev.Label == label {
			return ev
		}
	}
	t.Fatalf("no %s event", label)
	return event{}
}

// withDeadline ends the test's streams when d passes, so a missing event fails the
// test instead of hanging it.
func withDeadline(t *testing.T, p *portal, d time.Duration) {
	t.Helper()
	timer := time.AfterFunc(d, p.app.Close)
	t.Cleanup(func() { timer.Stop() })
}

func TestStatusStream_WebhookTurnsBrokenAtOnce_AndANewTokenConnectedAgain(t *testing.T) {
	p := newPortal(t, time.Hour) // no periodic check comes in time: only the webhook can tell
	withDeadline(t, p, 20*time.Second)
	p.save(t, mewstest.AccessToken+"\n")
	events := openStream(t, p)
	if ev := events.next(t); ev.Label != "Connected" || ev.Hotel != mewstest.EnterpriseName {
		t.Fatalf("first event %+v, want Connected to %s", ev.Status, mewstest.EnterpriseName)
	}
	// The Monitor's first check of the saved token runs after Save; were the token revoked
	// before it, that check and not the webhook would turn it Broken.
	waitFirstCheck(t, p)

	if code, _ := p.post(t, "/sandbox/mews/disable", nil); code != http.StatusSeeOther {
		t.Fatalf("disabling the integration in the sandbox answered %d", code)
	}
	broken := events.nextLabel(t, "Broken")
	if !strings.Contains(broken.Advice, "disabled in Mews") {
		t.Errorf("Broken advice %q does not say the integration was disabled", broken.Advice)
	}

	p.post(t, "/sandbox/mews/rotate", nil)
	_, dashboard := p.get(t, "/sandbox/mews")
	token := regexp.MustCompile(`<code id="sandbox-token">([^<]+)</code>`).FindStringSubmatch(dashboard)
	if token == nil {
		t.Fatalf("the sandbox dashboard shows no new token:\n%s", dashboard)
	}
	if code, _ := p.save(t, token[1]+"\n"); code != http.StatusSeeOther {
		t.Fatalf("saving the new token answered %d", code)
	}
	if ev := events.nextLabel(t, "Connected"); ev.Hotel != mewstest.EnterpriseName {
		t.Errorf("Connected again to %q, want %q", ev.Hotel, mewstest.EnterpriseName)
	}
}

// waitFirstCheck waits until the Monitor has checked the saved token once.
func waitFirstCheck(t *testing.T, p *portal) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		if st, ok := p.app.monitor.State(propertyKey); ok && !st.Checked.IsZero() {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatal("the Monitor did not check the saved token")
		case <-tick.C:
		}
	}
}

func TestStatusStream_PeriodicCheckFindsARevokedTokenWithinOneInterval(t *testing.T) {
	// In a bubble, so the Monitor's default five-minute interval passes at once.
	synctest.Test(t, func(t *testing.T) {
		app := bubbleApp(t)
		if w := serveForm(app, "/apps/mews/token", url.Values{"token": {mewstest.AccessToken}}); w.Code != http.StatusSeeOther {
			t.Fatalf("Save answered %d", w.Code)
		}
		events := openBubbleStream(t, app)
		events.nextLabel(t, "Connected")

		revoked := time.Now()
		serveForm(app, "/sandbox/mews/revoke", nil) // no webhook: the Monitor's next check decides
		broken := events.nextLabel(t, "Broken")
		if took := time.Since(revoked); took > connection.DefaultInterval {
			t.Errorf("Broken showed after %v, more than one check interval (%v)", took, connection.DefaultInterval)
		}
		if !strings.Contains(broken.Advice, "invalid or revoked") || broken.Hotel != mewstest.EnterpriseName {
			t.Errorf("Broken event %+v, want the hotel and the guide's advice", broken.Status)
		}
	})
}

// bubbleApp is a Portal on a fresh sandbox with the default check interval, for use in
// a synctest bubble (no sockets: requests go to its ServeHTTP).
func bubbleApp(t *testing.T) *App {
	t.Helper()
	env := exampleenv.ForTest(t)
	secret, _ := mews.NewToken(testSecret)
	app, err := NewApp(Settings{Client: env.Client, Sandbox: env.Sandbox, Now: env.Now, WebhookSecret: secret})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Close)
	return app
}

// serveForm posts a form to the app directly.
func serveForm(app *App, path string, form url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	app.ServeHTTP(w, req)
	return w
}

// pipeWriter is a streaming http.ResponseWriter: what the handler writes and flushes
// can be read from the other end of the pipe while it runs.
type pipeWriter struct {
	header http.Header
	w      *io.PipeWriter
}

func (p *pipeWriter) Header() http.Header         { return p.header }
func (p *pipeWriter) Write(b []byte) (int, error) { return p.w.Write(b) }
func (p *pipeWriter) WriteHeader(int)             {}
func (p *pipeWriter) Flush()                      {}

// openBubbleStream runs the status stream handler on a pipe until the test ends.
func openBubbleStream(t *testing.T, app *App) *stream {
	t.Helper()
	r, w := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		req := httptest.NewRequest(http.MethodGet, "/apps/mews/events", nil).WithContext(ctx)
		app.ServeHTTP(&pipeWriter{header: http.Header{}, w: w}, req)
		w.Close()
	}()
	t.Cleanup(func() {
		cancel()
		r.Close()
		<-done
	})
	return &stream{lines: bufio.NewScanner(r), within: 2 * connection.DefaultInterval}
}

func TestForms_RefuseCrossOriginPostsAndOtherMethods(t *testing.T) {
	p := newPortal(t, time.Hour)
	for _, path := range []string{"/apps/mews/token", "/sandbox/mews/revoke", "/sandbox/mews/rotate"} {
		req, _ := http.NewRequest(http.MethodPost, p.srv.URL+path, strings.NewReader("token="+url.QueryEscape(mewstest.AccessToken)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		resp, err := p.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-origin POST %s answered %d, want 403", path, resp.StatusCode)
		}
	}
	if code, _ := p.get(t, "/apps/mews/token?token=x"); code != http.StatusMethodNotAllowed {
		t.Errorf("GET of the token form's action answered %d, want 405", code)
	}
	if _, ok := p.app.savedToken(); ok {
		t.Error("a forged request stored a token")
	}
	if p.app.sandboxToken != mewstest.AccessToken {
		t.Error("a forged request changed the sandbox")
	}
}

func TestSandboxDashboard_IsServedOnlyOnTheSandbox(t *testing.T) {
	srv := mewstest.NewServer(mewstest.WithInProcess())
	t.Cleanup(srv.Close)
	client, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	secret, _ := mews.NewToken(testSecret)
	app, err := NewApp(Settings{Client: client, WebhookSecret: secret}) // as on real Mews
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Close)
	for _, req := range []*http.Request{
		httptest.NewRequest(http.MethodGet, "/sandbox/mews", nil),
		httptest.NewRequest(http.MethodPost, "/sandbox/mews/revoke", nil),
	} {
		w := httptest.NewRecorder()
		app.ServeHTTP(w, req)
		if w.Code != http.StatusNotFound {
			t.Errorf("%s %s answered %d off the sandbox, want 404", req.Method, req.URL.Path, w.Code)
		}
	}
	w := httptest.NewRecorder()
	app.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/apps/mews", nil))
	if strings.Contains(w.Body.String(), "/sandbox/") {
		t.Error("the Apps page links to the sandbox dashboard off the sandbox")
	}
}

func TestReservations_InTheHotelsZone_WithWhyAReservationIsMissing(t *testing.T) {
	p := newPortal(t, time.Hour)
	now := mewstest.SeedEpoch()
	var room101, room405 string
	for _, r := range p.sandbox.Rooms() {
		switch r.Name {
		case "101":
			room101 = r.ID
		case "405":
			room405 = r.ID
		}
	}
	// Arrivals at 14:00 UTC, which is 15:00 in Amsterdam in winter.
	arrive := now.Truncate(24 * time.Hour).Add(14 * time.Hour)
	if !arrive.After(now) {
		arrive = arrive.Add(24 * time.Hour)
	}
	add := func(room string) mewstest.Reservation {
		return p.sandbox.AddReservation(mewstest.Reservation{RoomID: room, State: "Confirmed", Adults: 1,
			CreatedUtc: now.Add(-time.Hour), ScheduledStartUtc: arrive, ScheduledEndUtc: arrive.Add(20 * time.Hour)})
	}
	mapped, unmapped, roomless := add(room101), add(room405), add("")

	_, page := p.get(t, "/apps/mews/reservations")
	if !strings.Contains(page, "Connect Mews first") {
		t.Errorf("before a token is saved the view does not ask to connect:\n%s", page)
	}
	p.save(t, mewstest.AccessToken)
	code, page := p.get(t, "/apps/mews/reservations")
	if code != http.StatusOK {
		t.Fatalf("reservations answered %d:\n%s", code, page)
	}
	if !strings.Contains(page, "Europe/Amsterdam (CET)") {
		t.Error("the view does not name the hotel's time zone")
	}
	inPortal := section(t, page, `<table id="in-portal">`)
	missing := section(t, page, `<table id="missing">`)
	for _, tc := range []struct {
		res   mewstest.Reservation
		table string
		want  []string
	}{
		{mapped, inPortal, []string{"<td>101</td>", arrive.In(amsterdam(t)).Format(timeLayout), "15:00", "No PIN yet"}},
		{unmapped, missing, []string{"<td>405</td>", "15:00", "Room 405 is not mapped to a Portal space", "no keychain"}},
		{roomless, missing, []string{"<td>none</td>", "No room is assigned"}},
	} {
		row := rowOf(tc.table, tc.res.Number)
		if row == "" {
			t.Errorf("reservation %s is not in its table", tc.res.Number)
			continue
		}
		for _, s := range tc.want {
			if !strings.Contains(row, s) {
				t.Errorf("row of reservation %s = %s; want %q in it", tc.res.Number, row, s)
			}
		}
	}
}

// amsterdam is the sandbox hotel's zone.
func amsterdam(t *testing.T) *time.Location {
	loc, err := time.LoadLocation(mewstest.EnterpriseTimeZone)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// section returns the page from start to the end of that table.
func section(t *testing.T, page, start string) string {
	t.Helper()
	i := strings.Index(page, start)
	if i < 0 {
		t.Fatalf("no %s in the page", start)
	}
	end := strings.Index(page[i:], "</table>")
	return page[i : i+end]
}

// rowOf returns the table row of a reservation number.
func rowOf(table, number string) string {
	for row := range strings.SplitSeq(table, "<tr>") {
		if strings.HasPrefix(row, "<td>"+number+"</td>") {
			return row
		}
	}
	return ""
}

func TestSendPIN_StoresADoorPINInMews_AndTheViewShowsItsValidityNotItsValue(t *testing.T) {
	p := newPortal(t, time.Hour)
	now := mewstest.SeedEpoch()
	var room102 string
	for _, r := range p.sandbox.Rooms() {
		if r.Name == "102" {
			room102 = r.ID
		}
	}
	res := p.sandbox.AddReservation(mewstest.Reservation{RoomID: room102, State: "Confirmed", Adults: 1,
		CreatedUtc: now.Add(-time.Hour), ScheduledStartUtc: now.Add(14 * time.Hour), ScheduledEndUtc: now.Add(34 * time.Hour)})
	p.save(t, mewstest.AccessToken)

	for range 2 { // the second PIN replaces the first
		code, _ := p.post(t, "/apps/mews/reservations/"+res.ID+"/pin", url.Values{"number": {res.Number}})
		if code != http.StatusSeeOther {
			t.Fatalf("sending a PIN answered %d", code)
		}
	}
	stored := p.sandbox.ActiveResourceAccessTokens(res.ID)
	if len(stored) != 1 || stored[0].Type != "PinCode" || stored[0].Value != testPIN {
		t.Fatalf("Mews holds %d active credentials for the reservation, want one PIN", len(stored))
	}
	_, page := p.get(t, "/apps/mews/reservations?sent="+res.Number)
	row := rowOf(section(t, page, `<table id="in-portal">`), res.Number)
	validFrom := stored[0].ValidityStartUtc.In(amsterdam(t)).Format(timeLayout)
	if !strings.Contains(row, "PIN stored, valid "+validFrom) {
		t.Errorf("row = %s; want the PIN's validity from %s", row, validFrom)
	}
	if !strings.Contains(page, "was sent to Mews") {
		t.Error("the view does not confirm the PIN was sent")
	}
	for _, body := range p.bodies {
		if strings.Contains(body, stored[0].Value) {
			t.Error("a page shows the PIN's value")
		}
	}
	if strings.Contains(p.logs.String(), stored[0].Value) {
		t.Error("the log shows the PIN's value")
	}
}

func TestRun_ServesOnTheSandboxUntilCanceled(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	stderr := &safeBuffer{}
	env := map[string]string{exampleenv.VarAccessToken: mewstest.AccessToken}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0"}, func(k string) string { return env[k] }, stderr)
	}()

	// run prints the address once it listens; the wait ends with ctx.
	addr := regexp.MustCompile(`open (http://127\.0\.0\.1:\d+/apps/mews)`)
	var page string
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for page == "" {
		select {
		case <-ctx.Done():
			t.Fatalf("run printed no address:\n%s", stderr.String())
		case code := <-done:
			t.Fatalf("run ended with %d:\n%s", code, stderr.String())
		case <-tick.C:
			if m := addr.FindStringSubmatch(stderr.String()); m != nil {
				page = m[1]
			}
		}
	}
	resp, err := http.Get(page)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s answered %d", page, resp.StatusCode)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("run returned %d after the interrupt, want 0:\n%s", code, stderr.String())
	}
	out := stderr.String()
	if !strings.Contains(out, "MEWS_ACCESS_TOKEN is ignored") {
		t.Errorf("run did not say the access token variable is ignored:\n%s", out)
	}
	if strings.Contains(out, mewstest.AccessToken) {
		t.Error("run printed the access token")
	}
}

func TestRun_BadFlagExitsWithTwo(t *testing.T) {
	var stderr safeBuffer
	if code := run(t.Context(), []string{"-no-such-flag"}, func(string) string { return "" }, &stderr); code != 2 {
		t.Errorf("run returned %d, want 2", code)
	}
}

func TestSave_MewsUnreachable_SaysTryAgainAndStoresNothing(t *testing.T) {
	// In a bubble, so the SDK's retries with backoff take no real time.
	synctest.Test(t, func(t *testing.T) {
		env := exampleenv.ForTest(t)
		secret, _ := mews.NewToken(testSecret)
		app, err := NewApp(Settings{Client: env.Client, Sandbox: env.Sandbox, Now: env.Now, WebhookSecret: secret})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(app.Close)
		env.Sandbox.InjectFault(mewstest.Fault{Operation: "configuration/get", Status: http.StatusServiceUnavailable, Times: -1})

		req := httptest.NewRequest(http.MethodPost, "/apps/mews/token", strings.NewReader(url.Values{"token": {mewstest.AccessToken}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		app.ServeHTTP(w, req)
		if w.Code != http.StatusServiceUnavailable {
			t.Errorf("Save answered %d while Mews fails, want 503", w.Code)
		}
		if msg := inlineError(w.Body.String()); !strings.Contains(msg, "could not be reached") || !strings.Contains(msg, "Try Save again") {
			t.Errorf("inline error %q does not say to try again", msg)
		}
		if _, ok := app.savedToken(); ok {
			t.Error("a token Mews could not check was stored")
		}
	})
}
