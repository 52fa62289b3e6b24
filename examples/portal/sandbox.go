package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/mewskit/mews-go/mewstest"
)

// The sandbox's stand-in for the Mews dashboard, served only when the Portal runs on the
// embedded mewstest server. It is where a Mews admin would revoke the integration's token
// or generate a new one; it is the one page that shows a token, because it plays Mews,
// not Portal.

// sandboxData fills the fake Mews dashboard.
type sandboxData struct {
	// Token is the integration's current token, "" while it is revoked.
	Token string
	// Done says what the last action did.
	Done string
}

// sandboxMessages are what the dashboard says after each action.
var sandboxMessages = map[string]string{
	"revoke":  "The token was revoked. Portal finds out on its next check of the token and shows Broken.",
	"disable": "The integration was disabled and its token revoked; Mews sent Portal the IntegrationDisabled webhook, so Portal shows Broken at once.",
	"rotate":  "A new token was generated and the old one no longer works. Paste the new one on Portal's Apps › Mews page.",
}

// sandboxPage shows the fake Mews dashboard.
func (a *App) sandboxPage(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	data := sandboxData{Token: a.sandboxToken, Done: sandboxMessages[r.URL.Query().Get("done")]}
	a.mu.Unlock()
	a.render(w, http.StatusOK, "sandbox.html", data)
}

// sandboxAction plays what a Mews admin does to the integration's token.
func (a *App) sandboxAction(w http.ResponseWriter, r *http.Request) {
	action := r.PathValue("action")
	if _, ok := sandboxMessages[action]; !ok {
		http.NotFound(w, r)
		return
	}
	if err := a.playMews(r.Context(), action); err != nil {
		// mewstest's errors never quote the webhook URL's query, where the secret is.
		a.set.Logger.Error("sandbox action", "action", action, "err", err)
		http.Error(w, "The sandbox could not do that; the server log says why.", http.StatusInternalServerError)
		return
	}
	a.set.Logger.Info("sandbox action", "action", action)
	http.Redirect(w, r, "/sandbox/mews?done="+action, http.StatusSeeOther)
}

// playMews changes the sandbox as Mews would. Every mewstest call of the Portal is here.
func (a *App) playMews(ctx context.Context, action string) error {
	srv := a.set.Sandbox
	a.mu.Lock()
	current := a.sandboxToken
	a.mu.Unlock()
	switch action {
	case "revoke":
		if current != "" {
			srv.Revoke(current)
		}
		a.setSandboxToken("")
	case "disable":
		if current != "" {
			srv.Revoke(current)
		}
		a.setSandboxToken("")
		// Mews calls the webhook URL registered for the integration; here in-process,
		// through the Portal's whole handler.
		mews := srv.NewEndpoint("http://portal.sandbox/mews/integrations?Token="+a.set.WebhookSecret.Reveal(), mewstest.WithEndpointHandler(a.handler))
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		d, err := mews.SendIntegrationEvent(ctx, mewstest.IntegrationEvent{Action: mewstest.ActionIntegrationDisabled, IntegrationID: mewstest.IntegrationID})
		if err != nil {
			return err
		}
		if !d.Accepted {
			return fmt.Errorf("the webhook handler answered %d", d.Status)
		}
	case "rotate":
		if current == "" {
			// The last token was revoked: Rotate still knows it and issues the next one.
			a.mu.Lock()
			current = a.lastSandboxToken
			a.mu.Unlock()
		}
		next := srv.Rotate(current)
		if next == "" {
			return fmt.Errorf("the sandbox does not know the integration's token")
		}
		a.setSandboxToken(next)
	}
	return nil
}

// setSandboxToken records the integration's current token ("" once revoked), keeping the
// last one for Rotate.
func (a *App) setSandboxToken(tok string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.sandboxToken != "" {
		a.lastSandboxToken = a.sandboxToken
	}
	a.sandboxToken = tok
}
