package main

// A small client of Chromium's remote debugging protocol (CDP) for the browser test.
//
// Why not chromedp: it would add to the root module's requirements cdproto (generated
// bindings for the whole protocol), a second WebSocket stack (gobwas/ws with httphead and
// pool), a JSON library and golang.org/x/sys, for the seven commands this test sends. The
// protocol is JSON messages over one WebSocket, and the module already requires
// github.com/coder/websocket (the project's WebSocket dependency), so the client below is
// that dependency plus encoding/json in about 200 lines, kept in the test's own files.

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// browserNames are the Chromium commands looked for on PATH, Debian's first.
var browserNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// findBrowser returns the Chromium to drive: $MEWS_CHROMIUM, or the first on PATH.
func findBrowser() (string, error) {
	if p := os.Getenv("MEWS_CHROMIUM"); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("MEWS_CHROMIUM names no browser: %w", err)
		}
		return path, nil
	}
	for _, name := range browserNames {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no Chromium on PATH (looked for %s; set MEWS_CHROMIUM, or run .ci/chromium to install Debian's)", strings.Join(browserNames, ", "))
}

// devToolsLine is how Chromium announces its debugging endpoint on stderr.
var devToolsLine = regexp.MustCompile(`DevTools listening on (ws://\S+)`)

// startBrowser starts headless Chromium with a fresh profile and returns the browser's
// DevTools WebSocket URL. Chromium and its children are killed when the test ends.
func startBrowser(ctx context.Context, t *testing.T, path string) string {
	t.Helper()
	profile := t.TempDir()
	cmd := exec.Command(path,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-default-apps", "--disable-extensions", "--mute-audio", "--disable-dev-shm-usage",
		"--window-size=1200,900", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
		"--user-data-dir="+profile, "about:blank")
	// Its own process group, so the renderer and helper processes die with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	var output strings.Builder // what Chromium said, for failure messages
	var outputMu sync.Mutex
	found := make(chan string, 1)
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		lines := bufio.NewScanner(stderr)
		for lines.Scan() {
			outputMu.Lock()
			output.WriteString(lines.Text() + "\n")
			outputMu.Unlock()
			if m := devToolsLine.FindStringSubmatch(lines.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
	}()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
		<-drained
	})
	select {
	case url := <-found:
		return url
	case <-ctx.Done():
		outputMu.Lock()
		defer outputMu.Unlock()
		t.Fatalf("Chromium did not announce its DevTools URL: %v\n%s", ctx.Err(), output.String())
		return ""
	}
}

// cdp is one WebSocket connection to the browser. Pages are reached through flattened
// sessions (Target.attachToTarget with flatten), so one connection drives every tab.
type cdp struct {
	conn   *websocket.Conn
	nextID atomic.Int64

	mu      sync.Mutex
	pending map[int64]chan cdpMessage
	err     error // why the connection ended
}

// cdpMessage is a command's answer (ID set) or an event (Method set).
type cdpMessage struct {
	ID        int64           `json:"id,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    any             `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// dialCDP connects to the browser's DevTools URL; the connection closes when the test ends.
func dialCDP(ctx context.Context, t *testing.T, url string) *cdp {
	t.Helper()
	conn, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		t.Fatalf("connecting to Chromium's DevTools: %v", err)
	}
	conn.SetReadLimit(64 << 20) // screenshots arrive as one base64 message
	c := &cdp{conn: conn, pending: map[int64]chan cdpMessage{}}
	go c.readLoop()
	t.Cleanup(func() { conn.Close(websocket.StatusNormalClosure, "") })
	return c
}

// readLoop hands every answer to the command waiting for it; events are not needed.
func (c *cdp) readLoop() {
	for {
		_, data, err := c.conn.Read(context.Background())
		if err != nil {
			c.mu.Lock()
			c.err = err
			for id, ch := range c.pending {
				close(ch)
				delete(c.pending, id)
			}
			c.mu.Unlock()
			return
		}
		var msg cdpMessage
		if json.Unmarshal(data, &msg) != nil || msg.ID == 0 {
			continue
		}
		c.mu.Lock()
		ch := c.pending[msg.ID]
		delete(c.pending, msg.ID)
		c.mu.Unlock()
		if ch != nil {
			ch <- msg
		}
	}
}

// call sends one command (to a page when session is set) and decodes its result.
func (c *cdp) call(ctx context.Context, session, method string, params, result any) error {
	id := c.nextID.Add(1)
	ch := make(chan cdpMessage, 1)
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return fmt.Errorf("%s: the DevTools connection is closed: %w", method, c.err)
	}
	c.pending[id] = ch
	c.mu.Unlock()
	if params == nil {
		params = struct{}{}
	}
	req, err := json.Marshal(cdpMessage{ID: id, SessionID: session, Method: method, Params: params})
	if err != nil {
		return err
	}
	if err := c.conn.Write(ctx, websocket.MessageText, req); err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	select {
	case msg, ok := <-ch:
		switch {
		case !ok:
			return fmt.Errorf("%s: the DevTools connection closed", method)
		case msg.Error != nil:
			return fmt.Errorf("%s: %s (%d)", method, msg.Error.Message, msg.Error.Code)
		case result != nil:
			return json.Unmarshal(msg.Result, result)
		}
		return nil
	case <-ctx.Done():
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

// tab is one page of the browser.
type tab struct {
	c       *cdp
	session string
}

// newTab opens a blank tab and attaches to it.
func (c *cdp) newTab(ctx context.Context) (*tab, error) {
	var created struct {
		TargetID string `json:"targetId"`
	}
	if err := c.call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &created); err != nil {
		return nil, err
	}
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	if err := c.call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": created.TargetID, "flatten": true}, &attached); err != nil {
		return nil, err
	}
	return &tab{c: c, session: attached.SessionID}, nil
}

// navigate loads url and waits until the page has loaded.
func (p *tab) navigate(ctx context.Context, url string) error {
	var nav struct {
		ErrorText string `json:"errorText"`
	}
	if err := p.c.call(ctx, p.session, "Page.navigate", map[string]any{"url": url}, &nav); err != nil {
		return err
	}
	if nav.ErrorText != "" {
		return fmt.Errorf("navigating to %s: %s", url, nav.ErrorText)
	}
	return p.waitFor(ctx, fmt.Sprintf("location.href === %q && document.readyState === 'complete'", url))
}

// evaluate runs a JavaScript expression in the page (awaiting a promise) and decodes its
// value into result, if given.
func (p *tab) evaluate(ctx context.Context, expr string, result any) error {
	var out struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	err := p.c.call(ctx, p.session, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}, &out)
	if err != nil {
		return err
	}
	if e := out.ExceptionDetails; e != nil {
		return fmt.Errorf("%s: %s %s", expr, e.Text, e.Exception.Description)
	}
	if result != nil {
		if len(out.Result.Value) == 0 {
			return fmt.Errorf("%s: no value", expr)
		}
		return json.Unmarshal(out.Result.Value, result)
	}
	return nil
}

// text returns a JavaScript string expression's value.
func (p *tab) text(ctx context.Context, expr string) (string, error) {
	var s string
	err := p.evaluate(ctx, expr, &s)
	return s, err
}

// waitFor polls a JavaScript condition until it is true or ctx ends. Errors while the
// page is navigating (no execution context yet) count as "not yet".
func (p *tab) waitFor(ctx context.Context, cond string) error {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var last error
	for {
		var ok bool
		err := p.evaluate(ctx, "!!("+cond+")", &ok)
		if err == nil && ok {
			return nil
		}
		if err != nil {
			last = err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w (last error: %v)", cond, ctx.Err(), last)
		case <-tick.C:
		}
	}
}

// insertText types text into the focused element, as a paste does.
func (p *tab) insertText(ctx context.Context, text string) error {
	return p.c.call(ctx, p.session, "Input.insertText", map[string]any{"text": text}, nil)
}

// screenshot saves the page as dir/name.png.
func (p *tab) screenshot(ctx context.Context, dir, name string) (string, error) {
	if err := p.c.call(ctx, p.session, "Page.bringToFront", nil, nil); err != nil {
		return "", err
	}
	var shot struct {
		Data string `json:"data"`
	}
	if err := p.c.call(ctx, p.session, "Page.captureScreenshot", map[string]any{"format": "png"}, &shot); err != nil {
		return "", err
	}
	png, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, name+".png")
	return path, os.WriteFile(path, png, 0o644)
}
