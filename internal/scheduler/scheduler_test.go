package scheduler

import (
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
)

// These tests run real cron entries on a one-second spec and wait on
// channels: they assert what happened, never how long it took.

func everySecond(c *Config) { c.Sources[0].Spec = "@every 1s" }

func TestScheduledJobRuns(t *testing.T) {
	store := openStore(t)
	called := make(chan int, 10)
	c := &fakeCollector{name: "scb", fn: func(_ context.Context, call int, _ map[string]time.Time) (domain.Collection, error) {
		called <- call
		return okCollection(t0), nil
	}}
	s := newTest(t, store, c, everySecond)
	s.Start()
	wait(t, called, "a scheduled run")
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	runs, err := store.Runs(context.Background(), "scb", 10)
	if err != nil || len(runs) == 0 {
		t.Fatalf("runs %v, %v", runs, err)
	}
	first := runs[len(runs)-1]
	if first.Trigger != TriggerSchedule || first.Status != domain.RunSucceeded || first.New != 6 {
		t.Errorf("first scheduled run %+v", first)
	}
	b, err := store.Batch(context.Background(), first.BatchID)
	if err != nil || b.Actor != ActorScheduler {
		t.Errorf("batch %+v, %v", b, err)
	}
}

func TestPanicDoesNotKillTheScheduler(t *testing.T) {
	t.Run("in the collector", func(t *testing.T) {
		store := openStore(t)
		called := make(chan int, 10)
		c := &fakeCollector{name: "scb", fn: func(_ context.Context, call int, _ map[string]time.Time) (domain.Collection, error) {
			called <- call
			if call == 1 {
				panic("collector bug")
			}
			return okCollection(t0), nil
		}}
		s := newTest(t, store, c, func(cfg *Config) { everySecond(cfg); cfg.Retry = Retry{Attempts: 1} })
		s.Start()
		wait(t, called, "the panicking run")
		if n := wait(t, called, "the run after the panic"); n != 2 {
			t.Fatalf("call %d", n)
		}
		if err := s.Stop(context.Background()); err != nil {
			t.Fatal(err)
		}
		runs, _ := store.Runs(context.Background(), "scb", 100)
		first := runs[len(runs)-1]
		if first.Status != domain.RunFailed || !strings.Contains(first.Error, "collector bug") {
			t.Errorf("panicking run recorded as %+v", first)
		}
	})
	// A panic outside the collector (here the store) escapes the run: only
	// cron.Recover catches it, and the entry must still run again.
	t.Run("outside the collector", func(t *testing.T) {
		store := openStore(t)
		ps := &panickyStore{Store: store, calls: make(chan int, 10)}
		logs := newLogCapture("cron: panic")
		s := newTest(t, ps, stampAware(), func(cfg *Config) { everySecond(cfg); cfg.Log = slog.New(logs) })
		s.Start()
		wait(t, ps.calls, "the panicking start")
		wait(t, logs.hit, "the recovered panic in the log")
		if n := wait(t, ps.calls, "the next start"); n != 2 {
			t.Fatalf("call %d", n)
		}
		if err := s.Stop(context.Background()); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(logs.all(), "source=scb") {
			t.Errorf("panic logged without the source:\n%s", logs.all())
		}
	})
}

// panickyStore panics in the first StartRun.
type panickyStore struct {
	*sqlstore.Store
	n     atomic.Int32
	calls chan int
}

func (p *panickyStore) StartRun(ctx context.Context, source, trigger string) (domain.Run, error) {
	n := int(p.n.Add(1))
	p.calls <- n
	if n == 1 {
		panic("store bug")
	}
	return p.Store.StartRun(ctx, source, trigger)
}

func TestOverlappingScheduledRunIsSkipped(t *testing.T) {
	store := openStore(t)
	started, release := make(chan struct{}), make(chan struct{})
	c := &fakeCollector{name: "scb", fn: func(_ context.Context, call int, _ map[string]time.Time) (domain.Collection, error) {
		if call == 1 {
			close(started)
			<-release
		}
		return okCollection(t0), nil
	}}
	logs := newLogCapture("scheduled run skipped: the previous run of this source is still going")
	s := newTest(t, store, c, func(cfg *Config) { everySecond(cfg); cfg.Log = slog.New(logs) })
	s.Start()
	wait(t, started, "the first run")
	skip := wait(t, logs.hit, "a skipped tick")
	if calls := c.Calls(); calls != 1 {
		t.Errorf("collector called %d times while the first run was going", calls)
	}
	if !strings.Contains(skip, "source=scb") {
		t.Errorf("skip logged without the source: %s", skip)
	}
	close(release)
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	runs, _ := store.Runs(context.Background(), "scb", 100)
	if first := runs[len(runs)-1]; first.Status != domain.RunSucceeded {
		t.Errorf("first run %+v", first)
	}
	if len(runs) != c.Calls() {
		t.Errorf("%d runs recorded for %d collections: a skipped tick must record nothing", len(runs), c.Calls())
	}
}

func TestDescribeSpec(t *testing.T) {
	tests := []struct{ spec, want string }{
		{"CRON_TZ=Europe/Stockholm 0 4 2 * *", "den 2 varje månad kl. 04:00 (Europe/Stockholm)"},
		{"CRON_TZ=Europe/Stockholm 30 4 2 * *", "den 2 varje månad kl. 04:30 (Europe/Stockholm)"},
		{"TZ=UTC 15 3 * * *", "varje dag kl. 03:15 (UTC)"},
		{"0 6 * * 1", "varje måndag kl. 06:00"},
		{"0 6 * * 0", "varje söndag kl. 06:00"},
		{"0 6 * * 7", "0 6 * * 7"}, // cron's weekdays are 0-6
		{"0 5 15 3 *", "den 15 mars varje år kl. 05:00"},
		{"@monthly", "den 1 varje månad kl. 00:00"},
		{"@every 1h30m", "var 1h30m0s"},
		{"*/5 * * * *", "*/5 * * * *"},
		{"0 4 1-7 * 1", "0 4 1-7 * 1"},
		{"nonsense", "nonsense"},
	}
	for _, tt := range tests {
		if got := DescribeSpec(tt.spec); got != tt.want {
			t.Errorf("DescribeSpec(%q) = %q, want %q", tt.spec, got, tt.want)
		}
	}
}
