package httpx_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/collectors/internal/httpx"
	"github.com/svenskaindustrikommuner/dashboard/internal/clock/clocktest"
)

func TestLimiterSlidingWindow(t *testing.T) {
	clock := clocktest.NewFakeClock(t0)
	l := httpx.NewLimiter(30, 10*time.Second, clock)
	var starts []time.Time
	for range 65 {
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		starts = append(starts, clock.Now())
	}
	// No window of 10 s may hold more than 30 starts.
	for i := 30; i < len(starts); i++ {
		if d := starts[i].Sub(starts[i-30]); d < 10*time.Second {
			t.Fatalf("calls %d and %d only %s apart", i-30, i, d)
		}
	}
	// 65 calls at 30 per 10 s need exactly two full waits.
	if got := clock.Slept(); got != 20*time.Second {
		t.Errorf("waited %s, want 20s", got)
	}
}

func TestLimiterSetLimitAndNoLimit(t *testing.T) {
	clock := clocktest.NewFakeClock(t0)
	l := httpx.NewLimiter(0, 0, clock)
	for range 100 {
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if clock.Slept() != 0 {
		t.Fatalf("unlimited limiter waited %s", clock.Slept())
	}
	l.SetLimit(2, time.Second)
	for range 3 {
		_ = l.Wait(context.Background())
	}
	if clock.Slept() != time.Second {
		t.Errorf("waited %s, want 1s", clock.Slept())
	}
	if n, w := l.Limit(); n != 2 || w != time.Second {
		t.Errorf("Limit() = %d, %s", n, w)
	}
}

func TestLimiterCancelled(t *testing.T) {
	l := httpx.NewLimiter(1, time.Hour, clocktest.NewFakeClock(t0))
	ctx, cancel := context.WithCancel(context.Background())
	_ = l.Wait(ctx)
	cancel()
	if err := l.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
