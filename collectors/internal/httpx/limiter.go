package httpx

import (
	"context"
	"sync"
	"time"
)

// Limiter allows at most N calls in any window of the given length (a
// sliding window over the start times of the last N calls). SCB states its
// limit exactly this way ("30 calls per 10 seconds"), so a sliding window
// never trips it, where a token bucket refilled at 3/s could.
type Limiter struct {
	mu     sync.Mutex
	clock  Clock
	n      int
	window time.Duration
	starts []time.Time // start times of the most recent calls, oldest first
}

// NewLimiter builds a limiter of n calls per window. n <= 0 or window <= 0
// means no limit.
func NewLimiter(n int, window time.Duration, clock Clock) *Limiter {
	if clock == nil {
		clock = RealClock{}
	}
	return &Limiter{clock: clock, n: n, window: window}
}

// SetLimit changes the limit, e.g. after reading the source's own /config.
// Calls already made keep counting against the new window.
func (l *Limiter) SetLimit(n int, window time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n, l.window = n, window
}

// Limit reports the current limit.
func (l *Limiter) Limit() (int, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n, l.window
}

// Wait blocks until one more call fits in the window and records it. It
// returns ctx.Err() if ctx ends first.
func (l *Limiter) Wait(ctx context.Context) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		l.mu.Lock()
		if l.n <= 0 || l.window <= 0 {
			l.mu.Unlock()
			return nil
		}
		now := l.clock.Now()
		// Forget calls that have left the window.
		cut := 0
		for cut < len(l.starts) && now.Sub(l.starts[cut]) >= l.window {
			cut++
		}
		l.starts = l.starts[cut:]
		if len(l.starts) < l.n {
			l.starts = append(l.starts, now)
			l.mu.Unlock()
			return nil
		}
		wait := l.window - now.Sub(l.starts[len(l.starts)-l.n])
		l.mu.Unlock()
		if err := l.clock.Sleep(ctx, wait); err != nil {
			return err
		}
	}
}
