package scheduler

import (
	"context"
	"time"
)

// Clock is the time source of run-level backoff and of lease expiry. Tests
// inject a fake one so that a retry after minutes costs no real time. It
// has the shape of the collectors' clock, so one fake serves both.
type Clock interface {
	Now() time.Time
	// Sleep waits d or until ctx is done and then returns ctx.Err().
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
