package main

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/mewstest"
)

//go:embed templates/*.html static/*
var assets embed.FS

// propertyKey is the Monitor key of the one property this Portal account is linked to
// (the guide: each PMS account belongs to a single Portal property).
const propertyKey = "property"

// Settings configure the Portal.
type Settings struct {
	// Client talks to Mews (or the sandbox). Its ClientToken is the Portal's own; the
	// hotel's access token is pasted by staff.
	Client *mews.Client
	// Sandbox is the embedded fake Mews, or nil on real Mews. Only with it does the
	// Portal serve the sandbox's stand-in for the Mews dashboard (/sandbox/mews).
	Sandbox *mewstest.Server
	// Now is the hotel's current time: the clock, or the sandbox's seeded "today".
	Now func() time.Time
	// CheckInterval is how often the Monitor re-checks the saved token.
	CheckInterval time.Duration
	// WebhookSecret is the ?Token= value of the integration webhook URL given to Mews.
	WebhookSecret mews.Token
	// Days is how many days the reservations view shows.
	Days int
	// IssuePIN is the lock system issuing a door PIN; default six random digits.
	IssuePIN func() (string, error)
	// Logger receives request and status lines; never a token.
	Logger *slog.Logger
}

// Status is what the status badge shows; the server-sent events carry it as JSON.
type Status struct {
	Label  string `json:"label"`  // Not connected, Connected, Broken, Degraded, Checking
	Hotel  string `json:"hotel"`  // the hotel's name, once known
	Advice string `json:"advice"` // what to do, when there is something to do
}

// The status labels.
const (
	labelNone      = "Not connected"
	labelConnected = "Connected"
	labelBroken    = "Broken"
	labelDegraded  = "Degraded"
	labelChecking  = "Checking"
)

// App is the Portal's web application: the Apps → Mews page, its status stream, the
// reservations view, the integration webhook and, on the sandbox, the fake Mews dashboard.
type App struct {
	set      Settings
	monitor  watcher
	webhooks http.Handler
	pages    *template.Template
	handler  http.Handler

	mu sync.Mutex
	// token is the saved access token. It lives only here, in memory: a real Portal
	// keeps it in its secret store, encrypted at rest, never in a page, a log or a URL.
	token mews.Token
	// enterpriseID is the Mews hotel this Portal property is linked to, once connected.
	enterpriseID string
	status       Status
	savedAt      time.Time // events decided before the last Save are stale
	streams      map[chan struct{}]struct{}
	closed       chan struct{}
	// sandboxToken is the token the sandbox's Mews dashboard hands out ("" while it is
	// revoked); lastSandboxToken is the one before, which a rotation replaces.
	sandboxToken, lastSandboxToken string
}

// NewApp builds the Portal and starts its Monitor; Close stops it.
func NewApp(set Settings) (*App, error) {
	if set.Client == nil {
		return nil, errors.New("portal: no Mews client")
	}
	if set.Now == nil {
		set.Now = time.Now
	}
	if set.CheckInterval <= 0 {
		set.CheckInterval = connection.DefaultInterval
	}
	if set.Days <= 0 {
		set.Days = 3
	}
	if set.IssuePIN == nil {
		set.IssuePIN = randomPIN
	}
	if set.Logger == nil {
		set.Logger = slog.New(slog.DiscardHandler)
	}
	if set.WebhookSecret.IsZero() {
		return nil, errors.New("portal: no webhook secret")
	}
	pages, err := template.New("").Funcs(template.FuncMap{"cssClass": cssClass}).ParseFS(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	a := &App{set: set, pages: pages, status: Status{Label: labelNone}, streams: map[chan struct{}]struct{}{}, closed: make(chan struct{})}
	if set.Sandbox != nil {
		a.sandboxToken = mewstest.AccessToken
	}
	a.monitor, a.webhooks, err = startMonitor(set.Client, set.CheckInterval, set.WebhookSecret, a.onEvent)
	if err != nil {
		return nil, err
	}
	a.handler = a.routes()
	return a, nil
}

// cssClass is the badge's class for a status label: "Not connected" → "not-connected".
func cssClass(label string) string { return strings.ReplaceAll(strings.ToLower(label), " ", "-") }

// ServeHTTP serves the Portal.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.handler.ServeHTTP(w, r) }

// Close ends the status streams and stops the Monitor. It is safe to call twice.
func (a *App) Close() {
	a.mu.Lock()
	select {
	case <-a.closed:
		a.mu.Unlock()
		return
	default:
		close(a.closed)
	}
	a.mu.Unlock()
	a.monitor.Close()
}

// routes wires the pages. State changes are POST only, and http.CrossOriginProtection
// refuses a POST that a browser sends from another origin (Sec-Fetch-Site / Origin),
// which is the CSRF defence: there are no cookies or sessions to steal, only forms to forge.
func (a *App) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/apps/mews", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /apps/mews", a.appsPage)
	mux.HandleFunc("POST /apps/mews/token", a.saveToken)
	mux.HandleFunc("GET /apps/mews/events", a.events)
	mux.HandleFunc("GET /apps/mews/reservations", a.reservationsPage)
	mux.HandleFunc("POST /apps/mews/reservations/{id}/pin", a.sendPINForm)
	mux.Handle("GET /static/", http.FileServerFS(assets))
	// The integration webhook URL to register with Mews: /mews/integrations?Token=<secret>.
	mux.Handle("/mews/integrations", a.webhooks)
	if a.set.Sandbox != nil {
		mux.HandleFunc("GET /sandbox/mews", a.sandboxPage)
		mux.HandleFunc("POST /sandbox/mews/{action}", a.sandboxAction)
	}
	return a.logRequests(securityHeaders(http.NewCrossOriginProtection().Handler(mux)))
}

// pageTimeout bounds writing one page; the status stream renews its own deadline.
const pageTimeout = 30 * time.Second

// logRequests logs each request's method, path (never the query, which holds the
// webhook secret) and status, and bounds the time to write the answer.
func (a *App) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		_ = http.NewResponseController(w).SetWriteDeadline(start.Add(pageTimeout))
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		a.set.Logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "took", time.Since(start).Round(time.Millisecond))
	})
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach Flush and SetWriteDeadline.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// securityHeaders keeps pages out of caches and frames and allows only the Portal's own
// script and style.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// appsData fills the Apps → Mews page.
type appsData struct {
	Status Status
	// Error is the inline error of the token form.
	Error   string
	Sandbox bool
	// CheckEvery says how often the token is re-checked.
	CheckEvery time.Duration
}

// appsPage shows the Apps → Mews page with the current status.
func (a *App) appsPage(w http.ResponseWriter, r *http.Request) {
	a.renderApps(w, http.StatusOK, "")
}

// renderApps writes the Apps → Mews page, with an inline error if any. The token field
// is always empty: a saved or rejected token is never sent back.
func (a *App) renderApps(w http.ResponseWriter, code int, formError string) {
	a.render(w, code, "apps.html", appsData{Status: a.currentStatus(), Error: formError, Sandbox: a.set.Sandbox != nil, CheckEvery: a.set.CheckInterval})
}

// render executes a page template into a buffer first, so a failing template gives a
// clean 500 instead of half a page.
func (a *App) render(w http.ResponseWriter, code int, name string, data any) {
	var buf bytes.Buffer
	if err := a.pages.ExecuteTemplate(&buf, name, data); err != nil {
		a.set.Logger.Error("rendering a page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

// maxFormBytes bounds a posted form; a token is under 200 bytes.
const maxFormBytes = 16 << 10

// The inline errors of the token form, in the guide's words: what to check, and who
// can help.
const (
	adviceGarbled    = "The token was not saved: %s. Paste the token again with no spaces or line breaks inside, or ask your Mews admin for a new token."
	adviceEmpty      = "The token was not saved: the field is empty. Paste the access token your Mews admin gave you, then Save."
	adviceRefused    = "Mews did not accept this token. Check that you pasted the whole token of this property, with no spaces or line breaks; if it still fails, ask your Mews admin for a new token."
	adviceNoMews     = "Mews could not be reached to check the token, so it was not saved. Try Save again in a minute."
	adviceOtherHotel = "This token belongs to %s, but this Portal property is linked to %s. Use the correct property's Mews token; a Mews account cannot be shared across Portal properties (contact PMS support to change the link)."
	adviceBroken     = "The current token is invalid or revoked in Mews. Obtain a new access token from the verified Mews Marketplace (ask your Mews admin), paste it below and Save."
)

// saveToken validates a pasted token and, once Mews accepts it, stores it and watches
// it. A token Mews rejects is not stored and the previous connection stays as it was.
func (a *App) saveToken(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		a.renderApps(w, http.StatusBadRequest, "The form could not be read; reload the page and try again.")
		return
	}
	pasted := r.PostForm.Get("token")
	if strings.TrimSpace(pasted) == "" {
		a.renderApps(w, http.StatusUnprocessableEntity, adviceEmpty)
		return
	}
	creds, err := credentialsFromPaste(pasted)
	if err != nil {
		// The reason names the position of the stray character, never the token; the
		// SDK's own advice (after the ';') gives way to the guide's.
		reason := "could not be read"
		var inputErr *mews.InputError
		if errors.As(err, &inputErr) {
			reason, _, _ = strings.Cut(inputErr.Reason, ";")
		}
		a.set.Logger.Info("pasted token refused before sending", "reason", reason)
		a.renderApps(w, http.StatusUnprocessableEntity, fmt.Sprintf(adviceGarbled, "it "+reason))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	res, err := validate(ctx, a.set.Client, creds)
	switch {
	case err != nil: // the Portal's own setup, e.g. a client without a ClientToken
		a.set.Logger.Error("validating a token", "err", err)
		a.renderApps(w, http.StatusInternalServerError, "Portal could not check the token because of its own setup; the server log says why. Nothing was saved.")
		return
	case res.Status == connection.Broken:
		a.set.Logger.Info("token rejected by Mews", "reason", res.Reason)
		a.renderApps(w, http.StatusUnprocessableEntity, adviceRefused)
		return
	case res.Status != connection.Connected:
		a.set.Logger.Warn("token check undecided", "reason", res.Reason)
		a.renderApps(w, http.StatusServiceUnavailable, adviceNoMews)
		return
	}
	a.mu.Lock()
	linked, linkedName := a.enterpriseID, a.status.Hotel
	a.mu.Unlock()
	if linked != "" && res.Enterprise.ID != linked {
		// One PMS account per Portal property (the guide): a token of another hotel is
		// the wrong property's token, not a new one for this property.
		a.set.Logger.Info("token of another property refused", "hotel", res.Enterprise.Name)
		a.renderApps(w, http.StatusUnprocessableEntity, fmt.Sprintf(adviceOtherHotel, res.Enterprise.Name, linkedName))
		return
	}
	if a.set.Sandbox != nil {
		// The sandbox's integration; on Mews the webhook handler learns the id from
		// IntegrationCreated, or a Portal stores it with the token.
		creds.IntegrationID = mewstest.IntegrationID
	}
	a.mu.Lock()
	a.token = creds.Token
	a.enterpriseID = res.Enterprise.ID
	a.savedAt = time.Now()
	a.status = Status{Label: labelConnected, Hotel: res.Enterprise.Name}
	a.notifyLocked()
	a.mu.Unlock()
	if err := watch(a.monitor, propertyKey, creds); err != nil {
		a.set.Logger.Error("watching the connection", "err", err)
	}
	a.set.Logger.Info("token saved", "hotel", res.Enterprise.Name)
	http.Redirect(w, r, "/apps/mews", http.StatusSeeOther)
}

// onEvent takes a status change from the Monitor (periodic check or webhook) to the
// page. An event decided before the last Save is about the previous token and ignored.
func (a *App) onEvent(ev connection.Event) {
	a.set.Logger.Info("status changed", "from", ev.Previous.String(), "to", ev.Status.String(), "reason", ev.Reason)
	a.mu.Lock()
	defer a.mu.Unlock()
	if ev.Key != propertyKey || ev.Time.Before(a.savedAt) {
		return
	}
	a.status = statusOf(ev.Status, a.status.Hotel, ev.Reason)
	a.notifyLocked()
}

// statusOf turns a Monitor status into what the badge shows.
func statusOf(s connection.Status, hotel string, reason error) Status {
	switch s {
	case connection.Connected:
		return Status{Label: labelConnected, Hotel: hotel}
	case connection.Degraded:
		return Status{Label: labelDegraded, Hotel: hotel, Advice: "Mews could not be reached on the last checks. Portal keeps trying; the token may still be fine."}
	case connection.Broken:
		advice := adviceBroken
		switch {
		case errors.Is(reason, connection.ErrIntegrationDisabled):
			advice = "The integration was disabled in Mews. Ask your Mews admin to enable it again, or to give you a new access token to paste below."
		case errors.Is(reason, connection.ErrIntegrationCanceled), errors.Is(reason, connection.ErrIntegrationDeleted):
			advice = "The integration was removed in Mews. Ask your Mews admin to connect Portal again in the Mews Marketplace and give you the new access token to paste below."
		}
		return Status{Label: labelBroken, Hotel: hotel, Advice: advice}
	default:
		return Status{Label: labelChecking, Hotel: hotel}
	}
}

// currentStatus returns the status shown now.
func (a *App) currentStatus() Status {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.status
}

// savedToken returns the saved token, or false when none is saved.
func (a *App) savedToken() (mews.Token, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.token, !a.token.IsZero()
}

// notifyLocked wakes every status stream; a stream that is behind sends only the latest.
func (a *App) notifyLocked() {
	for ch := range a.streams {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// subscribe registers a status stream.
func (a *App) subscribe() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	a.mu.Lock()
	a.streams[ch] = struct{}{}
	a.mu.Unlock()
	return ch, func() {
		a.mu.Lock()
		delete(a.streams, ch)
		a.mu.Unlock()
	}
}

// keepAlive is how often an idle status stream sends a comment, so proxies keep it open.
const keepAlive = 25 * time.Second

// events streams the status as server-sent events: the current one at once, then every
// change, so the page turns Broken without a reload.
func (a *App) events(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	changed, unsubscribe := a.subscribe()
	defer unsubscribe()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	send := func(payload string) bool {
		_ = rc.SetWriteDeadline(time.Now().Add(pageTimeout))
		if _, err := fmt.Fprint(w, payload); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	sendStatus := func() bool {
		b, _ := json.Marshal(a.currentStatus())
		return send("event: status\ndata: " + string(b) + "\n\n")
	}
	if !sendStatus() {
		return
	}
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		select {
		case <-changed:
			if !sendStatus() {
				return
			}
		case <-tick.C:
			if !send(": keep-alive\n\n") {
				return
			}
		case <-r.Context().Done():
			return
		case <-a.closed:
			return
		}
	}
}
