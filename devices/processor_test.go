package devices_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/devices"
	"github.com/mewskit/mews-go/events"
	"github.com/mewskit/mews-go/mewstest"
)

// hotel is an in-process fake Mews with a connection to its hotel.
func hotel(t *testing.T) (*mewstest.Server, *mews.Connector) {
	t.Helper()
	srv := mewstest.NewServer(mewstest.WithInProcess())
	t.Cleanup(srv.Close)
	conn, err := srv.Connector(mewstest.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	return srv, conn
}

// keyFor queues a key-cutter command for a reservation with a room.
func keyFor(t *testing.T, srv *mewstest.Server) mewstest.Command {
	t.Helper()
	for _, r := range srv.Reservations() {
		if r.RoomID != "" && r.State == "Confirmed" {
			cmd, _ := srv.AddKeyCutterCommand(r.ID, 2)
			return cmd
		}
	}
	t.Fatal("no reservation with a room")
	return mewstest.Command{}
}

// states lists the states a command was updated to.
func states(srv *mewstest.Server, id string) []string {
	cmd, _ := srv.Command(id)
	var out []string
	for _, u := range cmd.Updates {
		out = append(out, u.State)
	}
	return out
}

// start runs p until the test ends, checking that Run ends without an error.
func start(t *testing.T, p *devices.Processor) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- p.Run(context.Background()) }()
	t.Cleanup(func() {
		p.Close()
		if err := <-done; err != nil {
			t.Errorf("Run after Close = %v, want nil", err)
		}
	})
}

func TestACommandDeliveredByADuplicatedEventAndAPollIsProcessedOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, conn := hotel(t)
		srv.SetWebSocketFaults(mewstest.WebSocketFaults{Duplicate: true})
		var calls atomic.Int32
		var mu sync.Mutex
		var got devices.KeyCutter
		p, err := devices.New(devices.Over(conn), func(ctx context.Context, job *devices.Job) (string, error) {
			calls.Add(1)
			mu.Lock()
			got = job.KeyCutter
			mu.Unlock()
			if err := job.Progress(ctx, 0.5); err != nil {
				return "", err
			}
			time.Sleep(5 * time.Second) // polls come and go while the key is cut
			return "2 keys cut", nil
		}, devices.WithPollInterval(time.Second))
		if err != nil {
			t.Fatal(err)
		}
		ev, err := events.New(conn, events.WithHTTPClient(&http.Client{Transport: srv.Transport()}), events.WithResync(p.Resync))
		if err != nil {
			t.Fatal(err)
		}
		defer ev.Close()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() {
			for e, err := range ev.Events(ctx) {
				if err != nil {
					return
				}
				p.Notify(e)
			}
		}()
		start(t, p)
		synctest.Wait()

		cmd := keyFor(t, srv)
		printer := srv.AddCommand(mewstest.Command{DeviceID: mewstest.PrinterID})
		// The same command again from the socket, as a stale duplicate.
		srv.SendEvents(mewstest.EnterpriseID, mewstest.WebSocketEvent{Type: "DeviceCommand", ID: cmd.ID, State: "Pending"})
		time.Sleep(10 * time.Second)

		if n := calls.Load(); n != 1 {
			t.Errorf("the Func was called %d times, want 1", n)
		}
		if diff := cmp.Diff([]string{"Received", "Processing", "Processing", "Processed"}, states(srv, cmd.ID)); diff != "" {
			t.Errorf("updates (-want +got):\n%s", diff)
		}
		final, _ := srv.Command(cmd.ID)
		if n := final.Updates[len(final.Updates)-1].Notes; n == nil || *n != "2 keys cut" {
			t.Errorf("notes = %v, want the Func's", n)
		}
		if p := final.Updates[2].Progress; p == nil || *p != 0.5 {
			t.Errorf("progress = %v, want 0.5", p)
		}
		mu.Lock()
		defer mu.Unlock()
		if got.KeyCount != 2 || len(got.LockIDs) != 1 || got.ReservationID != cmd.ReservationID {
			t.Errorf("key cutter data = %+v", got)
		}
		if s := states(srv, printer.ID); len(s) != 0 {
			t.Errorf("the printer's command was updated: %v", s)
		}
	})
}

func TestAFuncErrorEndsTheCommandInErrorWithItsMessage(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, conn := hotel(t)
		p, err := devices.New(devices.Over(conn), func(context.Context, *devices.Job) (string, error) {
			return "", errors.New("the encoder is out of cards")
		})
		if err != nil {
			t.Fatal(err)
		}
		cmd := keyFor(t, srv)
		start(t, p)
		synctest.Wait()
		got, _ := srv.Command(cmd.ID)
		if got.State != "Error" || *got.Updates[len(got.Updates)-1].Notes != "the encoder is out of cards" {
			t.Errorf("command = %s %+v, want Error with the message", got.State, got.Updates)
		}
	})
}

// crash leaves a command in Processing, as a process that dies while cutting does: the
// Func blocks until the processor closes.
func crash(t *testing.T, srv *mewstest.Server, conn *mews.Connector, journal devices.Journal) mewstest.Command {
	t.Helper()
	p, err := devices.New(devices.Over(conn), func(ctx context.Context, _ *devices.Job) (string, error) {
		<-ctx.Done()
		return "", ctx.Err()
	}, devices.WithJournal(journal))
	if err != nil {
		t.Fatal(err)
	}
	cmd := keyFor(t, srv)
	done := make(chan error, 1)
	go func() { done <- p.Run(context.Background()) }()
	synctest.Wait()
	p.Close()
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}
	if got, _ := srv.Command(cmd.ID); got.State != "Processing" {
		t.Fatalf("after the crash the command is %s, want Processing", got.State)
	}
	return cmd
}

func TestACommandInterruptedInProcessingIsFailedByTheNextProcessorsFirstPoll(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, conn := hotel(t)
		journal, err := devices.DirJournal(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		cmd := crash(t, srv, conn, journal)

		var calls atomic.Int32
		next, err := devices.New(devices.Over(conn), func(context.Context, *devices.Job) (string, error) {
			calls.Add(1)
			return "", nil
		}, devices.WithJournal(journal))
		if err != nil {
			t.Fatal(err)
		}
		start(t, next)
		synctest.Wait()
		got, _ := srv.Command(cmd.ID)
		last := got.Updates[len(got.Updates)-1]
		if got.State != "Error" || last.Notes == nil || *last.Notes == "" {
			t.Errorf("the interrupted command is %s with %+v, want Error with a note", got.State, last)
		}
		if calls.Load() != 0 {
			t.Error("the interrupted command was handed to the Func again under FailInterrupted")
		}
		if ids, _ := journal.Unfinished(t.Context()); len(ids) != 0 {
			t.Errorf("the journal still lists %v", ids)
		}
	})
}

func TestACommandInterruptedInProcessingIsResumedOnceUnderResumeInterrupted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, conn := hotel(t)
		journal, err := devices.DirJournal(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		cmd := crash(t, srv, conn, journal)

		var mu sync.Mutex
		var resumed []bool
		next, err := devices.New(devices.Over(conn), func(_ context.Context, job *devices.Job) (string, error) {
			mu.Lock()
			defer mu.Unlock()
			resumed = append(resumed, job.Resumed)
			return "cut after a restart", nil
		}, devices.WithJournal(journal), devices.WithInterrupted(devices.ResumeInterrupted), devices.WithPollInterval(time.Second))
		if err != nil {
			t.Fatal(err)
		}
		start(t, next)
		time.Sleep(5 * time.Second) // several polls
		mu.Lock()
		defer mu.Unlock()
		if diff := cmp.Diff([]bool{true}, resumed); diff != "" {
			t.Errorf("Func calls' Resumed (-want +got):\n%s", diff)
		}
		if got, _ := srv.Command(cmd.ID); got.State != "Processed" {
			t.Errorf("the resumed command is %s, want Processed", got.State)
		}
	})
}

// failingFinal is a Commands whose first final update fails, as when the network drops
// right after the key was cut.
type failingFinal struct {
	devices.Commands
	failed atomic.Bool
}

func (f *failingFinal) Update(ctx context.Context, u devices.Update) error {
	if u.State == devices.Processed && !f.failed.Swap(true) {
		return errors.New("connection reset")
	}
	return f.Commands.Update(ctx, u)
}

func TestAFailedFinalUpdateIsSentAgainByTheNextPollWithoutCuttingAgain(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, conn := hotel(t)
		var calls atomic.Int32
		p, err := devices.New(&failingFinal{Commands: devices.Over(conn)}, func(context.Context, *devices.Job) (string, error) {
			calls.Add(1)
			return "cut", nil
		}, devices.WithPollInterval(time.Second))
		if err != nil {
			t.Fatal(err)
		}
		cmd := keyFor(t, srv)
		start(t, p)
		synctest.Wait()
		if got, _ := srv.Command(cmd.ID); got.State != "Processing" {
			t.Fatalf("after the failed update the command is %s, want Processing", got.State)
		}
		time.Sleep(2 * time.Second)
		if got, _ := srv.Command(cmd.ID); got.State != "Processed" {
			t.Errorf("after the next poll the command is %s, want Processed", got.State)
		}
		if n := calls.Load(); n != 1 {
			t.Errorf("the Func was called %d times, want 1", n)
		}
	})
}

func TestMewsCancelingACommandEndsItsFunc(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, conn := hotel(t)
		ended := make(chan error, 1)
		p, err := devices.New(devices.Over(conn), func(ctx context.Context, _ *devices.Job) (string, error) {
			<-ctx.Done()
			ended <- ctx.Err()
			return "", ctx.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
		cmd := keyFor(t, srv)
		start(t, p)
		synctest.Wait()
		srv.UpdateCommand(cmd.ID, func(c *mewstest.Command) { c.State = "Cancelled" })
		p.Notify(events.DeviceCommand{ID: cmd.ID, State: "Cancelled"})
		synctest.Wait()
		select {
		case <-ended:
		default:
			t.Fatal("the Func's context did not end")
		}
		if diff := cmp.Diff([]string{"Received", "Processing"}, states(srv, cmd.ID)); diff != "" {
			t.Errorf("updates after the cancel (-want +got):\n%s", diff)
		}
	})
}

func TestNewRefusesInvalidOptions(t *testing.T) {
	_, conn := hotel(t)
	fn := func(context.Context, *devices.Job) (string, error) { return "", nil }
	for name, opt := range map[string]devices.Option{
		"poll interval": devices.WithPollInterval(time.Millisecond),
		"workers":       devices.WithWorkers(0),
		"journal":       devices.WithJournal(nil),
		"interrupted":   devices.WithInterrupted(7),
		"logger":        devices.WithLogger(nil),
	} {
		if _, err := devices.New(devices.Over(conn), fn, opt); !errors.Is(err, mews.ErrInvalidInput) {
			t.Errorf("%s: err = %v, want ErrInvalidInput", name, err)
		}
	}
	if _, err := devices.New(nil, fn); !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("nil api: err = %v", err)
	}
	if _, err := devices.New(devices.Over(conn), nil); !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("nil fn: err = %v", err)
	}
}

// TestCloseEndsRunAndEveryWorker relies on synctest: the bubble fails if any goroutine
// the processor started is still blocked when the test returns.
func TestCloseEndsRunAndEveryWorker(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, conn := hotel(t)
		started := make(chan struct{}, 4)
		p, err := devices.New(devices.Over(conn), func(ctx context.Context, _ *devices.Job) (string, error) {
			started <- struct{}{}
			<-ctx.Done() // a cut that never finishes by itself
			return "", ctx.Err()
		}, devices.WithWorkers(2))
		if err != nil {
			t.Fatal(err)
		}
		for range 3 { // one more than there are workers: one waits for a worker
			keyFor(t, srv)
		}
		done := make(chan error, 1)
		go func() { done <- p.Run(context.Background()) }()
		synctest.Wait()
		if len(started) != 2 {
			t.Fatalf("%d Funcs started, want 2 (the workers)", len(started))
		}
		if err := p.Close(); err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Errorf("Run = %v, want nil after Close", err)
		}
		if err := p.Run(context.Background()); !errors.Is(err, devices.ErrClosed) {
			t.Errorf("Run after Close = %v, want ErrClosed", err)
		}
	})
}

func TestAKeyCutWhileTheProcessorClosesIsStillReportedProcessed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, conn := hotel(t)
		p, err := devices.New(devices.Over(conn), func(ctx context.Context, _ *devices.Job) (string, error) {
			<-ctx.Done() // the encoder finishes the card anyway
			return "cut during shutdown", nil
		})
		if err != nil {
			t.Fatal(err)
		}
		cmd := keyFor(t, srv)
		done := make(chan error, 1)
		go func() { done <- p.Run(context.Background()) }()
		synctest.Wait()
		p.Close()
		<-done
		if got, _ := srv.Command(cmd.ID); got.State != "Processed" {
			t.Errorf("the command is %s, want Processed", got.State)
		}
	})
}
