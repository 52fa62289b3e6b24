// Package httpintest drives the SDK's inbound handlers the way a hostile or broken
// client would, over in-memory connections, so that the inbound and webhooks tests
// share one harness. Only tests import it.
package httpintest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"
)

// Answer is what one stalled connection got back.
type Answer struct {
	Status int
	Body   string
	After  time.Duration // since the connections were opened, in the caller's clock
}

// StallBodies serves h through an http.Server that has no timeouts of its own, opens n
// connections that each send the headers of a POST to target announcing a 1 KiB JSON
// body, then only "{", and never more. It returns the answers of the connections that
// got one within wait.
//
// Call it inside a testing/synctest bubble: the connections are in-memory pipes, so the
// bubble's clock, not the wall clock, decides when a deadline passes, and wait costs no
// real time.
func StallBodies(t testing.TB, h http.Handler, target string, n int, wait time.Duration) []Answer {
	t.Helper()
	ln := &pipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
	srv := &http.Server{Handler: h}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(ln)
	}()

	start := time.Now()
	answers := make(chan Answer, n)
	var clients sync.WaitGroup
	for range n {
		client, server := net.Pipe()
		ln.conns <- server
		clients.Go(func() {
			defer client.Close()
			a, err := stall(client, target)
			if err != nil {
				return // the server hung up without an answer; not counted
			}
			a.After = time.Since(start)
			answers <- a
		})
	}
	allDone := make(chan struct{})
	go func() {
		clients.Wait()
		close(allDone)
	}()
	timer := time.NewTimer(wait)
	select {
	case <-allDone:
		timer.Stop()
	case <-timer.C:
	}
	_ = srv.Close() // releases whatever is still stalled
	clients.Wait()
	<-allDone
	<-served
	close(answers)
	var got []Answer
	for a := range answers {
		got = append(got, a)
	}
	return got
}

// stall sends the request head and one byte of the body, then reads the answer.
func stall(conn net.Conn, target string) (Answer, error) {
	head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: mews.test\r\nContent-Type: application/json\r\nContent-Length: 1024\r\n\r\n{", target)
	if _, err := io.WriteString(conn, head); err != nil {
		return Answer{}, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return Answer{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return Answer{}, err
	}
	return Answer{Status: resp.StatusCode, Body: string(body)}, nil
}

// pipeListener hands the server ends of net.Pipe connections to an http.Server.
type pipeListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }

// Body is a request body that counts how much of it the handler consumed.
type Body struct {
	data []byte
	read int
}

// NewBody returns a Body of n bytes: a JSON object padded with spaces, so that a
// handler which reads it all finds it well-formed.
func NewBody(n int) *Body {
	data := bytes.Repeat([]byte{' '}, n) // one copy, not n instrumented writes under -race
	data[0], data[n-1] = '{', '}'
	return &Body{data: data}
}

func (b *Body) Read(p []byte) (int, error) {
	if b.read == len(b.data) {
		return 0, io.EOF
	}
	n := copy(p, b.data[b.read:])
	b.read += n
	return n, nil
}

// Consumed is how many bytes were read.
func (b *Body) Consumed() int { return b.read }

// Len is the body's size.
func (b *Body) Len() int { return len(b.data) }
