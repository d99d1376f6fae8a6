package scheduler

import "github.com/svenskaindustrikommuner/dashboard/internal/clock"

// Clock is the time source of run-level backoff and of lease expiry (see
// package clock); the collectors use the same interface, so one fake
// serves both.
type Clock = clock.Clock
