package redis_test

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/mewstest"
	"github.com/mewskit/mews-go/redis"
	goredis "github.com/redis/go-redis/v9"
)

// The fleet tests drive one AccessToken from several replicas against mewstest with
// its sliding window on, short enough (rateN per ratePer) that three windows take
// seconds.
const (
	rateN       = 40
	ratePer     = time.Second
	rateMargin  = 200 * time.Millisecond
	driveFor    = 3 * ratePer
	driveConcur = 8
)

// childEnv selects what a re-executed test binary does instead of running tests.
const childEnv = "MEWS_FLEET_CHILD"

// quietRedis drops go-redis' own log lines (dial failures the outage tests cause on
// purpose); the package's outages are logged and asserted through WithLogger.
type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...any) {}

func TestMain(m *testing.M) {
	goredis.SetLogger(quietRedis{})
	switch os.Getenv(childEnv) {
	case "":
		os.Exit(m.Run())
	case "limiter":
		os.Exit(childLimiter())
	case "monitor":
		os.Exit(childMonitor())
	default:
		fmt.Fprintln(os.Stderr, "unknown child mode")
		os.Exit(2)
	}
}

func newRedisClient(addr string) *goredis.Client {
	return goredis.NewClient(&goredis.Options{Addr: addr, DialTimeout: 200 * time.Millisecond,
		ReadTimeout: 2 * time.Second, WriteTimeout: time.Second, DialerRetries: 1, MaxRetries: 1})
}

// fleetLimiter is the shared limiter as every replica of these tests configures it.
func fleetLimiter(rdb goredis.UniversalClient, prefix string, extra ...redis.Option) (*redis.Limiter, error) {
	opts := append([]redis.Option{redis.WithPrefix(prefix), redis.WithRule(mews.RateRule{Limit: rateN, Per: ratePer, Margin: rateMargin}),
		redis.WithReplicas(3), redis.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, nil)))}, extra...)
	return redis.NewLimiter(rdb, opts...)
}

// drive calls configuration/get with the seeded AccessToken from driveConcur goroutines
// until the deadline, through client. It returns how many calls it started.
func drive(client *mews.Client, until time.Time) int {
	conn, err := client.Connector(mewstest.AccessToken)
	if err != nil {
		panic(err) // the seeded token is valid
	}
	var mu sync.Mutex
	sent := 0
	var wg sync.WaitGroup
	for range driveConcur {
		wg.Go(func() {
			for time.Now().Before(until) {
				ctx, cancel := context.WithDeadline(context.Background(), until)
				res, _ := connection.Validate(ctx, conn)
				cancel()
				if res.Status == connection.Connected {
					mu.Lock()
					sent++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	return sent
}

func fleetClient(srvURL string, lim mews.Limiter) (*mews.Client, error) {
	return mews.NewClient(mews.WithBaseURL(srvURL), mews.WithClientToken(mewstest.ClientToken),
		mews.WithClientName(mewstest.ClientName), mews.WithLimiter(lim),
		mews.WithRetry(mews.RetryPolicy{MaxAttempts: 1}))
}

// rateUse reports what the server saw: the share of Mews' budget for driveFor that
// the fleet used (Mews admits at most rateN·driveFor/ratePer from a fresh start) and
// the number of 429s.
func rateUse(srv *mewstest.Server, start time.Time) (used float64, ok, throttled int) {
	for _, r := range srv.RequestsFor("configuration/get") {
		switch {
		case r.Status == 429:
			throttled++
		case r.Status == 200 && r.Time.Before(start.Add(driveFor)):
			ok++
		}
	}
	budget := float64(rateN) * float64(driveFor) / float64(ratePer)
	return float64(ok) / budget, ok, throttled
}

func newRateServer(t *testing.T) *mewstest.Server {
	srv := mewstest.NewServer()
	t.Cleanup(srv.Close)
	srv.SetRateLimit(rateN, ratePer)
	return srv
}

func TestFleet_ReplicasInGoroutinesShareOneTokensBudgetWithout429(t *testing.T) {
	for _, replicas := range []int{1, 3} {
		t.Run(strconv.Itoa(replicas)+" replicas", func(t *testing.T) {
			_, prefix := testRedis(t)
			srv := newRateServer(t)
			clients := make([]*mews.Client, replicas)
			for i := range clients {
				rdb := newRedisClient(os.Getenv(redisAddrEnv)) // a replica has its own connection pool
				t.Cleanup(func() { rdb.Close() })
				lim, err := fleetLimiter(rdb, prefix)
				if err != nil {
					t.Fatal(err)
				}
				if clients[i], err = fleetClient(srv.URL, lim); err != nil {
					t.Fatal(err)
				}
			}
			start := time.Now()
			until := start.Add(driveFor)
			shares := make([]int, replicas)
			var wg sync.WaitGroup
			for i, c := range clients {
				wg.Go(func() { shares[i] = drive(c, until) })
			}
			wg.Wait()
			used, ok, throttled := rateUse(srv, start)
			t.Logf("%d replicas: %d requests in %v (shares %v), %.1f %% of the budget, %d × 429", replicas, ok, driveFor, shares, 100*used, throttled)
			if throttled != 0 || used < 0.95 {
				t.Errorf("fleet used %.1f %% of the budget with %d × 429, want ≥ 95 %% and none", 100*used, throttled)
			}
		})
	}
}

// With one replica the shared limiter matches the in-process one, which this measures
// under the same load.
func TestFleet_OneReplicaWithTheInProcessLimiterForComparison(t *testing.T) {
	srv := newRateServer(t)
	c, err := mews.NewClient(mews.WithBaseURL(srv.URL), mews.WithClientToken(mewstest.ClientToken),
		mews.WithClientName(mewstest.ClientName), mews.WithRateLimit(rateN, ratePer), mews.WithRateLimitMargin(rateMargin),
		mews.WithRetry(mews.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	drive(c, start.Add(driveFor))
	used, ok, throttled := rateUse(srv, start)
	t.Logf("in-process limiter, 1 replica: %d requests in %v, %.1f %% of the budget, %d × 429", ok, driveFor, 100*used, throttled)
	if throttled != 0 || used < 0.95 {
		t.Errorf("in-process limiter used %.1f %% with %d × 429", 100*used, throttled)
	}
}

// The baseline the shared limiter replaces: three replicas that each limit the token in
// their own process spend three budgets, and Mews answers 429.
func TestFleet_ReplicasWithInProcessLimitersOverdraw(t *testing.T) {
	srv := newRateServer(t)
	start := time.Now()
	var wg sync.WaitGroup
	for range 3 {
		c, err := mews.NewClient(mews.WithBaseURL(srv.URL), mews.WithClientToken(mewstest.ClientToken),
			mews.WithClientName(mewstest.ClientName), mews.WithRateLimit(rateN, ratePer),
			mews.WithRetry(mews.RetryPolicy{MaxAttempts: 1}))
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() { drive(c, start.Add(driveFor)) })
	}
	wg.Wait()
	_, _, throttled := rateUse(srv, start)
	t.Logf("3 replicas with in-process limiters: %d × 429", throttled)
	if throttled == 0 {
		t.Error("no 429 although three replicas spent one budget each; the fake does not enforce the window")
	}
}

// startChildren re-executes the test binary n times in mode with env added, and
// returns their stdout lines on one channel.
func startChildren(t *testing.T, n int, mode string, env ...string) ([]*exec.Cmd, <-chan string) {
	t.Helper()
	lines := make(chan string, 1024)
	var cmds []*exec.Cmd
	for i := range n {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), append([]string{childEnv + "=" + mode, "MEWS_CHILD_NAME=replica-" + strconv.Itoa(i)}, env...)...)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			cmd.Process.Kill()
			cmd.Wait()
		})
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
		}()
		cmds = append(cmds, cmd)
	}
	return cmds, lines
}

func TestFleet_ThreeProcessesShareOneTokensBudgetWithout429(t *testing.T) {
	_, prefix := testRedis(t)
	srv := newRateServer(t)
	start := time.Now().Add(time.Second) // time for the children to start
	cmds, lines := startChildren(t, 3, "limiter", "MEWS_FAKE_URL="+srv.URL, "MEWS_PREFIX="+prefix,
		"MEWS_START="+strconv.FormatInt(start.UnixNano(), 10))
	shares := make([]string, 0, len(cmds))
	for range cmds {
		select {
		case l := <-lines:
			shares = append(shares, l)
		case <-time.After(time.Second + 3*driveFor):
			t.Fatalf("children did not report; got %v", shares)
		}
	}
	used, ok, throttled := rateUse(srv, start)
	t.Logf("3 processes: %d requests in %v (%v), %.1f %% of the budget, %d × 429", ok, driveFor, shares, 100*used, throttled)
	if throttled != 0 || used < 0.95 {
		t.Errorf("fleet used %.1f %% of the budget with %d × 429, want ≥ 95 %% and none", 100*used, throttled)
	}
}

// childLimiter is one replica process of TestFleet_ThreeProcesses…: it drives the
// token from MEWS_START for driveFor and prints how many calls it made.
func childLimiter() int {
	rdb := newRedisClient(os.Getenv(redisAddrEnv))
	defer rdb.Close()
	lim, err := fleetLimiter(rdb, os.Getenv("MEWS_PREFIX"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	client, err := fleetClient(os.Getenv("MEWS_FAKE_URL"), lim)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ns, _ := strconv.ParseInt(os.Getenv("MEWS_START"), 10, 64)
	start := time.Unix(0, ns)
	time.Sleep(time.Until(start))
	n := drive(client, start.Add(driveFor))
	fmt.Printf("%s: %d\n", os.Getenv("MEWS_CHILD_NAME"), n)
	return 0
}

func childMonitor() int { return runMonitorChild() }
