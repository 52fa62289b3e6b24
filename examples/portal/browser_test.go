package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mewskit/mews-go/mewstest"
)

// TestBrowser_StaffConnectMews plays the Portal staff guide in headless Chromium,
// driven over its remote debugging protocol (cdp_test.go): a Mews admin hands out the
// token on the sandbox's Mews dashboard (a second tab); staff paste it with a trailing
// line break and see Connected; the admin revokes it and the Portal tab turns Broken
// without a reload; staff paste the regenerated token and see Connected again.
//
// Screenshots go to $MEWS_ARTIFACTS/portal-browser, or to a temporary directory. Without
// Chromium the test skips, except in CI (CI=true), where it fails: .ci/chromium installs it.
func TestBrowser_StaffConnectMews(t *testing.T) {
	browser, err := findBrowser()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI needs the browser test to run: %v", err)
		}
		t.Skipf("skipping the browser test: %v", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	shots := artifactsDir(t)

	p := newPortal(t, 300*time.Millisecond) // the Monitor notices a revoked token within a check or two
	devtools := startBrowser(step(t, ctx, 30*time.Second), t, browser)
	c := dialCDP(ctx, t, devtools)

	portalTab, err := c.newTab(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mewsTab, err := c.newTab(ctx)
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	shoot := func(tb *tab, name string) {
		t.Helper()
		path, err := tb.screenshot(step(t, ctx, 15*time.Second), shots, name)
		must(err)
		t.Logf("screenshot: %s", path)
	}
	statusIs := func(label string) string {
		return fmt.Sprintf("document.getElementById('status').dataset.label === %q", label)
	}

	// Staff open Apps › Mews; the admin opens the Mews dashboard and copies the token.
	must(portalTab.navigate(step(t, ctx, 15*time.Second), p.srv.URL+"/apps/mews"))
	must(portalTab.waitFor(step(t, ctx, 10*time.Second), statusIs("Not connected")))
	shoot(portalTab, "01-not-connected")
	must(mewsTab.navigate(step(t, ctx, 15*time.Second), p.srv.URL+"/sandbox/mews"))
	token, err := mewsTab.text(step(t, ctx, 5*time.Second), "document.getElementById('sandbox-token').textContent")
	must(err)
	if token != mewstest.AccessToken {
		t.Fatalf("the sandbox dashboard shows another token than the seeded one")
	}

	// A paste with a space inside is refused inline, saying what to check.
	must(portalTab.evaluate(step(t, ctx, 5*time.Second), "document.getElementById('token').focus()", nil))
	must(portalTab.insertText(step(t, ctx, 5*time.Second), token[:24]+" "+token[24:]))
	must(portalTab.evaluate(step(t, ctx, 5*time.Second), "document.getElementById('save').click()", nil))
	must(portalTab.waitFor(step(t, ctx, 20*time.Second), "document.readyState === 'complete' && document.getElementById('token-error') !== null"))
	inline, err := portalTab.text(step(t, ctx, 5*time.Second), "document.getElementById('token-error').textContent")
	must(err)
	if !strings.Contains(inline, "no spaces or line breaks") {
		t.Errorf("inline error = %q, want the guide's advice", inline)
	}
	shoot(portalTab, "02-inline-error")

	// Paste with a trailing line break, Save: Connected with the hotel's name.
	paste := func(token string) {
		t.Helper()
		must(portalTab.evaluate(step(t, ctx, 5*time.Second), "document.getElementById('token').focus()", nil))
		must(portalTab.insertText(step(t, ctx, 5*time.Second), token+"\n"))
		must(portalTab.evaluate(step(t, ctx, 5*time.Second), "document.getElementById('save').click()", nil))
		must(portalTab.waitFor(step(t, ctx, 20*time.Second), "document.readyState === 'complete' && "+statusIs("Connected")))
		hotel, err := portalTab.text(step(t, ctx, 5*time.Second), "document.getElementById('hotel').textContent")
		must(err)
		if hotel != mewstest.EnterpriseName {
			t.Errorf("Connected to %q, want %q", hotel, mewstest.EnterpriseName)
		}
		var shown bool
		must(portalTab.evaluate(step(t, ctx, 5*time.Second), fmt.Sprintf("document.documentElement.outerHTML.includes(%q) || document.getElementById('token').value !== ''", token), &shown))
		if shown {
			t.Error("the Portal page holds the token after Save")
		}
	}
	paste(token)
	shoot(portalTab, "03-connected")

	// The admin revokes the token in Mews. The Portal tab is not reloaded: a marker set in
	// its window survives only if the page stays the same.
	must(portalTab.evaluate(step(t, ctx, 5*time.Second), "window.portalNotReloaded = true", nil))
	must(mewsTab.evaluate(step(t, ctx, 5*time.Second), "document.getElementById('revoke').click()", nil))
	must(mewsTab.waitFor(step(t, ctx, 15*time.Second), "document.readyState === 'complete' && document.getElementById('no-token') !== null"))
	shoot(mewsTab, "04-mews-token-revoked")
	must(portalTab.waitFor(step(t, ctx, 20*time.Second), statusIs("Broken")))
	var notReloaded bool
	must(portalTab.evaluate(step(t, ctx, 5*time.Second), "window.portalNotReloaded === true", &notReloaded))
	if !notReloaded {
		t.Error("the Portal page was reloaded to show Broken")
	}
	advice, err := portalTab.text(step(t, ctx, 5*time.Second), "document.getElementById('advice').textContent")
	must(err)
	if !strings.Contains(advice, "invalid or revoked") {
		t.Errorf("Broken advice = %q, want the guide's", advice)
	}
	shoot(portalTab, "05-broken")

	// The admin generates a new token; staff paste it and see Connected again.
	must(mewsTab.evaluate(step(t, ctx, 5*time.Second), "document.getElementById('rotate').click()", nil))
	must(mewsTab.waitFor(step(t, ctx, 15*time.Second), "document.readyState === 'complete' && document.getElementById('sandbox-token') !== null"))
	rotated, err := mewsTab.text(step(t, ctx, 5*time.Second), "document.getElementById('sandbox-token').textContent")
	must(err)
	if rotated == token {
		t.Fatal("the sandbox dashboard still shows the revoked token")
	}
	shoot(mewsTab, "06-mews-new-token")
	paste(rotated)
	shoot(portalTab, "07-connected-again")

	// The reservations view reads with the new token, in the hotel's time zone.
	must(portalTab.navigate(step(t, ctx, 15*time.Second), p.srv.URL+"/apps/mews/reservations"))
	zone, err := portalTab.text(step(t, ctx, 5*time.Second), "document.getElementById('zone').textContent")
	must(err)
	if zone != "Europe/Amsterdam (CET)" {
		t.Errorf("the reservations view shows the zone %q, want Europe/Amsterdam (CET)", zone)
	}
	shoot(portalTab, "08-reservations")
}

// step bounds one step of the browser test; its timer is released when the test ends.
func step(t *testing.T, ctx context.Context, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(ctx, d)
	t.Cleanup(cancel)
	return ctx
}

// artifactsDir is where screenshots go: $MEWS_ARTIFACTS/portal-browser, or a temporary
// directory.
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if root := os.Getenv("MEWS_ARTIFACTS"); root != "" {
		dir = filepath.Join(root, "portal-browser")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("screenshots go to %s", dir)
	return dir
}
