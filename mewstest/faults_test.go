package mewstest_test

import (
	"context"
	"errors"
	"net/http"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/mewstest"
)

// addPIN sends one resourceAccessTokens/add for res through conn, as a Write.
func addPIN(ctx context.Context, conn *mews.Connector, res mewstest.Reservation, value string) error {
	return conn.CallConnector(ctx, mews.Operation{Name: "resourceAccessTokens/add", Safety: mews.Write}, map[string]any{
		"ResourceAccessTokenParameters": []map[string]any{{
			"ServiceOrderId": res.ID, "Type": "PinCode", "Value": value,
			"ValidityStartUtc": "2026-01-01T00:00:00Z", "ValidityEndUtc": "2026-01-02T00:00:00Z", "Permissions": map[string]any{},
		}},
	}, nil)
}

func TestCommitAfterAnswersAnErrorAtOnceAndStoresTheWriteLater(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		fault  mewstest.Fault
		status int // the early answer; 0 for a dropped connection
	}{
		{"gateway timeout by default", mewstest.Fault{CommitAfter: 300 * time.Millisecond}, http.StatusGatewayTimeout},
		{"the status given", mewstest.Fault{CommitAfter: 300 * time.Millisecond, Status: http.StatusBadGateway}, http.StatusBadGateway},
		{"a dropped connection", mewstest.Fault{CommitAfter: 300 * time.Millisecond, ResetAfterProcessing: true}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, conn := connectorFor(t, mewstest.AccessToken)
				res := srv.Reservations()[0]
				f := tc.fault
				f.Operation = "resourceAccessTokens/add"
				srv.InjectFault(f)
				start := time.Now()
				err := addPIN(t.Context(), conn, res, "late-commit-4711")
				if waited := time.Since(start); waited != 0 {
					t.Errorf("the answer took %v, want it at once", waited)
				}
				var apiErr *mews.APIError
				switch {
				case tc.status == 0 && !errors.Is(err, syscall.ECONNRESET):
					t.Errorf("err = %v, want a reset connection", err)
				case tc.status != 0 && (!errors.As(err, &apiErr) || apiErr.StatusCode != tc.status):
					t.Errorf("err = %v, want status %d", err, tc.status)
				}
				if n := len(srv.ActiveResourceAccessTokens(res.ID)); n != 0 {
					t.Errorf("%d tokens stored at the answer, want none yet", n)
				}
				time.Sleep(299 * time.Millisecond)
				synctest.Wait()
				if n := len(srv.ActiveResourceAccessTokens(res.ID)); n != 0 {
					t.Errorf("%d tokens stored before the commit, want none", n)
				}
				time.Sleep(time.Millisecond)
				synctest.Wait()
				stored := srv.ActiveResourceAccessTokens(res.ID)
				if len(stored) != 1 || !stored[0].CreatedUtc.Equal(start.Add(300*time.Millisecond).UTC()) {
					t.Fatalf("stored %d tokens, want one created at the commit, 300ms after the request", len(stored))
				}
				recs := srv.RequestsFor("resourceAccessTokens/add")
				if len(recs) != 1 || recs[0].Status != tc.status || recs[0].Fault == "" {
					t.Errorf("recorded %+v, want the one request with its early answer and the fault", recs)
				}
			})
		})
	}
}

func TestCommitAfterStoresTheWriteAfterTheClientGaveUp(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, conn := connectorFor(t, mewstest.AccessToken)
		res := srv.Reservations()[0]
		// The answer is held for a minute, the client waits 100ms, Mews commits at 300ms.
		srv.InjectFault(mewstest.Fault{Operation: "resourceAccessTokens/add", Delay: time.Minute, CommitAfter: 300 * time.Millisecond})
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		defer cancel()
		if err := addPIN(ctx, conn, res, "late-commit-4711"); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want the client's deadline", err)
		}
		time.Sleep(time.Second)
		if n := len(srv.ActiveResourceAccessTokens(res.ID)); n != 1 {
			t.Errorf("%d tokens stored, want the one committed although nobody waited", n)
		}
	})
}

func TestCloseDropsLateCommitsStillPending(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, conn := connectorFor(t, mewstest.AccessToken)
		res := srv.Reservations()[0]
		srv.InjectFault(mewstest.Fault{Operation: "resourceAccessTokens/add", CommitAfter: time.Second})
		if err := addPIN(t.Context(), conn, res, "late-commit-4711"); err == nil {
			t.Fatal("the add succeeded, want the early 504")
		}
		srv.Close()
		time.Sleep(2 * time.Second)
		if n := len(srv.ActiveResourceAccessTokens(res.ID)); n != 0 {
			t.Errorf("%d tokens stored after Close, want the pending commit dropped", n)
		}
	})
}
