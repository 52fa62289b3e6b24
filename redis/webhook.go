package redis

import (
	"cmp"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/internal/httpin"
)

// WebhookHandler serves Mews' integration webhooks on any replica, like
// connection.Monitor.WebhookHandler, and passes what they mean to the leader of the
// connection's shard: a disabled, canceled or deleted integration holds the
// connection Broken there; a created, enabled or reinstated one is checked there.
// Only the connection key and the action travel through Redis, never a token.
//
// IntegrationApiKeyCreated carries the new AccessToken: this replica starts using it
// and the leader checks the connection, but the other replicas learn it only from
// you. Store it in WithOnIntegrationEvent and call Update with it on every replica.
// Options: WithWebhookMaxBodyBytes, WithOnIntegrationEvent.
func (m *Monitor) WebhookHandler(secret mews.Token, opts ...Option) (http.Handler, error) {
	if secret.IsZero() {
		return nil, &mews.InputError{Operation: "redis.Monitor.WebhookHandler", Field: "secret", Reason: "is empty; choose a long random secret and put it in the webhook URL as ?Token="}
	}
	s, err := newSettings("redis.Monitor.WebhookHandler", opts)
	if err != nil {
		return nil, err
	}
	return &fleetWebhook{m: m, maxBody: cmp.Or(s.webhookMax, connection.DefaultMaxWebhookBytes),
		onEvent: s.onWebhook, secret: httpin.NewSecret(secret.Reveal())}, nil
}

type fleetWebhook struct {
	m       *Monitor
	maxBody int64
	onEvent func(ev connection.IntegrationEvent, key string) error
	secret  httpin.Secret
}

func (h *fleetWebhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		answer(w, http.StatusMethodNotAllowed, "only POST is accepted")
		return
	}
	if !h.secret.Matches(r.URL.Query().Get("Token")) {
		answer(w, http.StatusUnauthorized, "missing or wrong Token in the URL")
		return
	}
	body, err := httpin.ReadBody(w, r, h.maxBody)
	if err != nil {
		if errors.Is(err, httpin.ErrBodyTooLarge) {
			answer(w, http.StatusRequestEntityTooLarge, "body is too large")
			return
		}
		answer(w, http.StatusBadRequest, "body could not be read")
		return
	}
	ev, err := connection.ParseIntegrationEvent(body)
	if err != nil {
		answer(w, http.StatusBadRequest, err.Error())
		return
	}
	key, err := h.m.route(r.Context(), ev)
	if err != nil {
		answer(w, http.StatusServiceUnavailable, "could not pass the event on; send it again later")
		return
	}
	if h.onEvent != nil && ev.Action.Known() {
		if err := h.onEvent(ev, key); err != nil {
			answer(w, http.StatusServiceUnavailable, "the event could not be stored; send it again later")
			return
		}
	}
	if key == "" {
		answer(w, http.StatusAccepted, "ignored")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func answer(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	io.WriteString(w, msg+"\n")
}

// route finds the connection ev is about and sends the leader what to do. It returns
// "" for an event about no watched connection.
func (m *Monitor) route(ctx context.Context, ev connection.IntegrationEvent) (string, error) {
	if !ev.Action.Known() {
		return "", nil
	}
	key := m.keyOf(ev)
	if key == "" {
		return "", nil
	}
	switch ev.Action {
	case connection.IntegrationDisabled:
		return key, m.Hold(ctx, key, connection.ErrIntegrationDisabled)
	case connection.IntegrationCanceled:
		return key, m.Hold(ctx, key, connection.ErrIntegrationCanceled)
	case connection.IntegrationDeleted:
		return key, m.Hold(ctx, key, connection.ErrIntegrationDeleted)
	case connection.IntegrationCreated:
		if !ev.IsEnabled {
			return key, m.Hold(ctx, key, connection.ErrIntegrationDisabled)
		}
	case connection.IntegrationAPIKeyCreated:
		m.mu.Lock()
		creds := m.conns[key]
		m.mu.Unlock()
		creds.Token = ev.APIKey
		if err := m.Update(ctx, key, creds); err != nil {
			return key, err
		}
	}
	return key, m.Check(ctx, key)
}

// keyOf finds the watched connection of ev's integration, by integration id or, for
// IntegrationCreated, by its AccessToken (then remembering the id on this replica).
func (m *Monitor) keyOf(ev connection.IntegrationEvent) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	for key, c := range m.conns {
		if c.IntegrationID != "" && strings.EqualFold(c.IntegrationID, ev.Integration.ID) {
			return key
		}
	}
	if ev.Action != connection.IntegrationCreated {
		return ""
	}
	for key, c := range m.conns {
		if c.API == mews.ConnectorAPI && c.Token.Equal(ev.AccessToken) {
			c.IntegrationID = ev.Integration.ID
			m.conns[key] = c
			return key
		}
	}
	return ""
}
