// Package clock is the dashboard's one time source and its one time zone.
// Everything that stamps, expires or waits (the store, the server's
// sessions and uploads, the page data poll, rate limits, retry backoff,
// leases, run records) takes a Clock, so tests inject one fake and a
// Retry-After of minutes or a lease expiry costs no real time.
package clock

import (
	"context"
	"time"
	_ "time/tzdata" // Europe/Stockholm on machines without zoneinfo
)

// Stockholm is the time zone readers and schedules use: dates on pages
// and exports, batch times, cron specs without their own CRON_TZ. The
// zone database is embedded, so it loads everywhere; UTC is only a
// guard.
var Stockholm = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Stockholm"); err == nil {
		return l
	}
	return time.UTC
}()

// Clock tells the time and sleeps.
type Clock interface {
	Now() time.Time
	// Sleep waits d or until ctx is done, whichever comes first, and
	// returns ctx.Err() in the latter case.
	Sleep(ctx context.Context, d time.Duration) error
}

// Real is the wall clock.
type Real struct{}

// Now returns time.Now().
func (Real) Now() time.Time { return time.Now() }

// Sleep waits on a timer and stops early when ctx is cancelled.
func (Real) Sleep(ctx context.Context, d time.Duration) error { return Sleep(ctx, d) }

// Sleep waits d on a timer, or until ctx is done (then ctx.Err()).
func Sleep(ctx context.Context, d time.Duration) error {
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
