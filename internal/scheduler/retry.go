package scheduler

import (
	"context"
	"errors"
	"time"

	"github.com/svenskaindustrikommuner/dashboard/internal/domain"
)

// Retry bounds the run-level retries of a failed collection. The
// collectors retry single requests (429, 5xx) within seconds; this covers
// the longer outages an unattended monthly run should ride out.
type Retry struct {
	// Attempts is the number of collections tried, the first included.
	Attempts int
	// Base is the wait after the first failure; it doubles per attempt up
	// to Max.
	Base, Max time.Duration
}

// DefaultRetry tries three times over about three minutes.
var DefaultRetry = Retry{Attempts: 3, Base: time.Minute, Max: 10 * time.Minute}

func (r Retry) withDefaults() Retry {
	if r.Attempts < 1 {
		r.Attempts = DefaultRetry.Attempts
	}
	if r.Base <= 0 {
		r.Base = DefaultRetry.Base
	}
	if r.Max < r.Base {
		r.Max = max(DefaultRetry.Max, r.Base)
	}
	return r
}

// delay is the wait after the given failed attempt (1-based).
func (r Retry) delay(attempt int) time.Duration {
	d := r.Base
	for i := 1; i < attempt && d < r.Max; i++ {
		d *= 2
	}
	return min(d, r.Max)
}

// permanent reports whether retrying cannot help: the run was cancelled,
// or the collector says its configuration is wrong.
func permanent(ctx context.Context, err error) bool {
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		return true
	}
	return domain.ErrorCode(err) == domain.CodeInvalid
}
