package httpx

import "github.com/svenskaindustrikommuner/dashboard/internal/clock"

// Clock is the time source of the limiter and the backoff (see package
// clock): tests inject a fake one so that waiting for a rate window or a
// Retry-After costs no real time.
type Clock = clock.Clock

// RealClock is the wall clock.
type RealClock = clock.Real
