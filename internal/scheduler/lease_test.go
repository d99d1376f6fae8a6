package scheduler

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
)

// instance is one dashboard process: its own store handle on the shared
// database, its own scheduler and lease holder.
func instance(t *testing.T, store *sqlstore.Store, c domain.Collector, clock Clock, logs *logCapture) *Scheduler {
	return newTest(t, store, c, func(cfg *Config) {
		cfg.Leaser = store
		cfg.Clock = clock
		if logs != nil {
			cfg.Log = slog.New(logs)
		}
	})
}

func allRuns(t *testing.T, s *sqlstore.Store) []domain.Run {
	t.Helper()
	runs, err := s.Runs(context.Background(), "", 100)
	if err != nil {
		t.Fatal(err)
	}
	return runs
}

func TestTwoInstancesManualRunsDoNotOverlap(t *testing.T) {
	a, b := openSharedStores(t)
	clock := newFakeClock(t0)
	started, release := make(chan struct{}), make(chan struct{})
	ca := &fakeCollector{name: "scb", fn: func(context.Context, int, map[string]time.Time) (domain.Collection, error) {
		close(started)
		<-release
		return okCollection(t0), nil
	}}
	cb := stampAware()
	sa, sb := instance(t, a, ca, clock, nil), instance(t, b, cb, clock, nil)
	if sa.Holder() == sb.Holder() {
		t.Fatal("two instances share a lease holder name")
	}
	done := make(chan error, 1)
	go func() { _, err := sa.RunNow(context.Background(), "scb", TriggerManual, "anna"); done <- err }()
	wait(t, started, "instance A's run")
	run, err := sb.RunNow(context.Background(), "scb", TriggerManual, "bo")
	if !errors.Is(err, ErrBusy) || run.ID != 0 || !strings.Contains(domain.UserMessage(err, ""), "annan instans") {
		t.Errorf("instance B while A runs: %+v, %v", run, err)
	}
	close(release)
	if err := wait(t, done, "instance A's outcome"); err != nil {
		t.Fatal(err)
	}
	if cb.Calls() != 0 || len(allRuns(t, a)) != 1 {
		t.Errorf("B collected %d times; %d runs recorded", cb.Calls(), len(allRuns(t, a)))
	}
	// The lease is released at the end: B may run by hand now (and finds
	// the table unchanged).
	run, err = sb.RunNow(context.Background(), "scb", TriggerManual, "bo")
	if err != nil || run.Status != domain.RunSkipped {
		t.Errorf("B after A: %+v, %v", run, err)
	}
}

func TestScheduledTickRunsOnOneInstance(t *testing.T) {
	for _, mode := range []string{"one after the other", "at the same time"} {
		t.Run(mode, func(t *testing.T) {
			a, b := openSharedStores(t)
			clock := newFakeClock(t0)
			ca, cb := stampAware(), stampAware()
			la, lb := newLogCapture(""), newLogCapture("")
			sa, sb := instance(t, a, ca, clock, la), instance(t, b, cb, clock, lb)
			if mode == "one after the other" {
				// The worst case: A's run is over before B's cron fires.
				sa.scheduled(sa.byName["scb"])
				sb.scheduled(sb.byName["scb"])
			} else {
				var wg sync.WaitGroup
				for _, s := range []*Scheduler{sa, sb} {
					wg.Add(1)
					go func() { defer wg.Done(); s.scheduled(s.byName["scb"]) }()
				}
				wg.Wait()
			}
			runs := allRuns(t, a)
			if len(runs) != 1 || runs[0].Status != domain.RunSucceeded || ca.Calls()+cb.Calls() != 1 {
				t.Fatalf("%d runs (%+v), %d collections; want one of each", len(runs), runs, ca.Calls()+cb.Calls())
			}
			if !strings.Contains(la.all()+lb.all(), "scheduled run skipped: another instance runs it") {
				t.Errorf("the instance that did not run logged no skip:\n%s\n%s", la.all(), lb.all())
			}
			// The next month the claim has run out: one instance runs again.
			_ = clock.Sleep(context.Background(), 31*24*time.Hour)
			sb.scheduled(sb.byName["scb"])
			sa.scheduled(sa.byName["scb"])
			if runs := allRuns(t, a); len(runs) != 2 {
				t.Errorf("next tick: %d runs in all, want 2", len(runs))
			}
		})
	}
}

func TestExpiredLeaseOfACrashedInstance(t *testing.T) {
	store := openStore(t)
	clock := newFakeClock(t0)
	// An instance took the lease and died without releasing it.
	if ok, err := store.TryLease(context.Background(), "collect:scb", "crashed-instance", t0, 5*time.Minute); !ok || err != nil {
		t.Fatal(ok, err)
	}
	s := instance(t, store, stampAware(), clock, nil)
	if _, err := s.RunNow(context.Background(), "scb", TriggerCLI, ""); !errors.Is(err, ErrBusy) {
		t.Fatalf("run under a live lease: %v", err)
	}
	_ = clock.Sleep(context.Background(), 6*time.Minute)
	if run, err := s.RunNow(context.Background(), "scb", TriggerCLI, ""); err != nil || run.Status != domain.RunSucceeded {
		t.Fatalf("run after the lease ran out: %+v, %v", run, err)
	}
}

func TestLostLeaseCancelsTheRun(t *testing.T) {
	store := openStore(t)
	clock := newFakeClock(t0)
	started := make(chan struct{})
	c := &fakeCollector{name: "scb", fn: func(ctx context.Context, _ int, _ map[string]time.Time) (domain.Collection, error) {
		close(started)
		<-ctx.Done()
		return domain.Collection{}, ctx.Err()
	}}
	s := newTest(t, store, c, func(cfg *Config) {
		cfg.Leaser, cfg.Clock = store, clock
		cfg.LeaseTTL = 30 * time.Millisecond // renewed every 10ms of wall time
	})
	done := make(chan domain.Run, 1)
	go func() { run, _ := s.RunNow(context.Background(), "scb", TriggerManual, "anna"); done <- run }()
	wait(t, started, "the run")
	// Another instance whose clock is past the lease's end takes it over.
	if ok, err := store.TryLease(context.Background(), "collect:scb", "other-instance", t0.Add(time.Hour), time.Hour); !ok || err != nil {
		t.Fatal(ok, err)
	}
	run := wait(t, done, "the cancelled run")
	if run.Status != domain.RunFailed || !strings.Contains(run.Error, "avbröts") || !strings.Contains(run.Error, "lease") {
		t.Errorf("run %+v", run)
	}
	// The release at the end must not drop the other instance's lease.
	if ok, _ := store.TryLease(context.Background(), "collect:scb", "third", t0.Add(time.Hour), time.Minute); ok {
		t.Error("the run released a lease it no longer held")
	}
}
